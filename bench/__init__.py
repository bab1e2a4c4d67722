"""Benchmarks: quality against baselines, HTTP latency, ingest cost and scale (`falun-kb bench`)."""
