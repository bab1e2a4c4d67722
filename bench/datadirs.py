"""Bench data dirs: the clean corpus index and corpus + N distractor chunks, built once."""

from __future__ import annotations

from pathlib import Path

from bench.common import CORPUS_DIR, bench_settings, harvest_embedding_cache, seed_embedding_cache


def build_clean(
    data_dir: Path, corpus_dir: Path = CORPUS_DIR, chroma_url: str | None = None
) -> None:
    """Ingest the corpus exactly as `falun-kb ingest` does, reusing cached embeddings."""
    from service.pipeline import run_ingest

    seed_embedding_cache(data_dir)
    settings = bench_settings(data_dir, corpus_dir, chroma_url=chroma_url)
    report = run_ingest(settings, corpus_dir)
    if not report.ok:
        raise RuntimeError(report.render())
    harvest_embedding_cache(data_dir)


def build_with_distractors(
    data_dir: Path, n_distractors: int, corpus_dir: Path = CORPUS_DIR
) -> int:
    """Corpus + the first `n_distractors` newsreel passages in one index; returns chunk count.

    Reused when the index is current for these documents (`index_is_current`, as an ingest
    decides) and holds this many chunks.
    """
    from bench.distractors import build_distractors
    from index.build import build_index
    from index.embed import make_embedder
    from index.manifest import index_is_current, read_manifest
    from service.pipeline import chunker_settings, load_and_chunk

    settings = bench_settings(data_dir, corpus_dir)
    documents, chunks, _ = load_and_chunk(corpus_dir, settings)
    extra = build_distractors(n_distractors)
    all_docs = [*documents, *extra.documents]
    all_chunks = [*chunks, *extra.chunks]
    embed_model = make_embedder(settings.embedder, settings.embed_batch_size)
    chunker = chunker_settings(settings)
    manifest = read_manifest(data_dir)
    if (
        index_is_current(data_dir, all_docs, all_chunks, embed_model, chunker)
        and manifest is not None
        and manifest.counts.get("chunks") == len(all_chunks)
    ):
        return len(all_chunks)
    seed_embedding_cache(data_dir)
    build_index(all_docs, all_chunks, embed_model, data_dir, chunker)
    harvest_embedding_cache(data_dir)
    return len(all_chunks)
