import gzip
from pathlib import Path

import orjson
import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def jsonl(tmp_path):
    """Write records (dicts, or raw strings for malformed lines) to a JSON Lines file."""
    counter = iter(range(1_000))

    def write(records, name=None, compress=False) -> Path:
        path = tmp_path / (name or f"export-{next(counter)}.jsonl{'.gz' if compress else ''}")
        lines = [r if isinstance(r, str) else orjson.dumps(r).decode() for r in records]
        data = ("\n".join(lines) + "\n").encode()
        path.write_bytes(gzip.compress(data) if compress else data)
        return path

    return write
