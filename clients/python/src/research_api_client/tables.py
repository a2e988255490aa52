"""Records as Arrow tables (and so pandas and polars DataFrames) with the codebook's types.

The codebook (``GET /v2/research/catalogue/``) says each field's type in words; they map to
Arrow types here: ids and counts are int64 (never floats, even with nulls), Unix times are
UTC timestamps, flags are booleans, lists are lists. Fields the codebook types as objects
are kept as JSON text.
"""

from __future__ import annotations

import json
from typing import Any


def arrow_type(described: str):
    """The Arrow type of a codebook type, or None to let Arrow infer it."""
    import pyarrow as pa

    text = described.strip().lower()
    if text.startswith("int64, unix seconds"):
        return pa.timestamp("s", tz="UTC")
    if text.startswith("int64 or string"):
        return pa.string()  # an id, or an account's username: kept as text
    if text.startswith(("int64", "int,")):
        return pa.int64()
    if text.startswith("float"):
        return pa.float64()
    if text.startswith("bool"):
        return pa.bool_()
    if text.startswith(("list of string",)):
        return pa.list_(pa.string())
    if text.startswith("list of int64"):
        return pa.list_(pa.int64())
    if text.startswith(("object", "list of")):
        return "json"
    if text.startswith("string"):
        return pa.string()
    return None


def to_arrow(records: list[dict], types: dict[str, str]):
    """An Arrow table of `records`, each column typed as the codebook says (`types`: field
    name -> codebook type), in the order the fields first appear."""
    import pyarrow as pa

    columns: dict[str, list[Any]] = {}
    for record in records:
        for name in record:
            columns.setdefault(name, [])
    for name, values in columns.items():
        values.extend(record.get(name) for record in records)
    arrays, names = [], []
    for name, values in columns.items():
        wanted = arrow_type(types[name]) if name in types else None
        if wanted == "json":
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
            wanted = pa.string()
        if wanted == pa.string():
            values = [v if v is None or isinstance(v, str) else str(v) for v in values]
        try:
            arrays.append(pa.array(values, type=wanted))
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a field the codebook does not type
            text = [
                v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                for v in values
            ]
            arrays.append(pa.array(text, pa.string()))
        names.append(name)
    return pa.Table.from_arrays(arrays, names=names)
