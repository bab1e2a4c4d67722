"""scale.png: latency and recall@5 against corpus size (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_scale(scale: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # headless: no display on a server
    import matplotlib.pyplot as plt

    rows = sorted(scale.get("distractors", []), key=lambda r: r["chunks"])
    synthetic = scale.get("synthetic", {})
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    if rows:
        x = [r["chunks"] for r in rows]
        ax = axes[0]
        ax.plot(x, [r["search"]["p50_ms"] for r in rows], "o-", label="search p50")
        ax.plot(x, [r["search"]["p95_ms"] for r in rows], "o--", label="search p95")
        ax.plot(x, [r["ask"]["p50_ms"] for r in rows], "s-", label="ask p50")
        ax.plot(x, [r["ask"]["p95_ms"] for r in rows], "s--", label="ask p95")
        ax.set_xscale("symlog", linthresh=100)
        ax.set_xlabel("chunks in index (corpus + distractors)")
        ax.set_ylabel("ms (in-process)")
        ax.set_title("Service latency vs corpus size")
        ax.legend()
        ax = axes[1]
        ax.plot(x, [r["recall@5"] for r in rows], "o-", label="evidence recall@5")
        ax.plot(x, [r["mrr"] for r in rows], "s-", label="MRR")
        ax.plot(x, [r["recall@1"] for r in rows], "^-", label="evidence recall@1")
        ax.set_xscale("symlog", linthresh=100)
        ax.set_ylim(0, 1.05)
        ax.set_xlabel("chunks in index (corpus + distractors)")
        ax.set_title("Quality on dev questions vs corpus size")
        ax.legend()
    ax = axes[2]
    for name, marker in (("store", "o-"), ("bm25", "s-")):
        points = sorted(synthetic.get(name, []), key=lambda r: r["n"])
        if points:
            ax.plot(
                [p["n"] for p in points], [p["p50_ms"] for p in points], marker, label=f"{name} p50"
            )
            ax.plot(
                [p["n"] for p in points],
                [p["p95_ms"] for p in points],
                marker[0] + "--",
                label=f"{name} p95",
            )
    ax.set_xscale("log")
    ax.set_xlabel("synthetic vectors / documents")
    ax.set_ylabel("ms per query (k=30)")
    ax.set_title("Chroma and BM25 alone")
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
