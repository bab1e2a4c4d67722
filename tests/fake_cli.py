"""`python -m tests.fake_cli ARGS`: the falun-kb CLI in a process of its own, with the hash
embedder from tests.fakes standing in for the configured model (the product cannot be
configured to serve it). With TEST_EMBED_BATCH_SECONDS set, each batch of passages takes
that long, as a real model's would, so a test can stop an ingest mid-embedding."""

from __future__ import annotations

import functools
import os

import index.embed
from service.cli import main
from tests.fakes import hash_embedder_factory

if __name__ == "__main__":
    delay = float(os.environ.get("TEST_EMBED_BATCH_SECONDS", "0"))
    factory = functools.partial(hash_embedder_factory, batch_seconds=delay)
    index.embed.make_embedder = factory  # type: ignore[assignment]
    raise SystemExit(main())
