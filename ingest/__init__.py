"""ingest stage: load documents, recover their structure and cut them into chunks."""

from ingest.chunk import ChunkerConfig, chunk_document
from ingest.load import (
    IngestError,
    IngestProblem,
    LoadResult,
    load_catalog,
    load_corpus,
    load_document,
)
from ingest.structure import Block, document_blocks, parse_blocks

__all__ = [
    "Block",
    "ChunkerConfig",
    "IngestError",
    "IngestProblem",
    "LoadResult",
    "chunk_document",
    "document_blocks",
    "load_catalog",
    "load_corpus",
    "load_document",
    "parse_blocks",
]
