"""`python -m tests.fake_cli ARGS`: the falun-kb CLI in a process of its own, with the hash
embedder from tests.fakes standing in for the configured model (the product cannot be
configured to serve it)."""

from __future__ import annotations

import index.embed
from service.cli import main
from tests.fakes import hash_embedder_factory

if __name__ == "__main__":
    index.embed.make_embedder = hash_embedder_factory  # type: ignore[assignment]
    raise SystemExit(main())
