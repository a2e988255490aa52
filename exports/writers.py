"""Export files, written a batch at a time: memory holds one batch, never the whole result.

Types follow the codebook: ids are 64-bit integers (pseudonyms), usernames strings, times
UTC. Parquet files have a real schema (int64, bool, string, timestamp[s, UTC], lists); CSV
and JSON Lines write times as Unix seconds, as the API does, and CSV writes lists as JSON.
"""

import csv
import hashlib
import io
import types
import typing
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from research.rendering import Field
from research.schemas import PYTHON_TYPES

_HASHTAG_INFO = pa.list_(
    pa.struct(
        [
            ("hashtag_id", pa.null()),
            ("hashtag_name", pa.string()),
            ("hashtag_description", pa.null()),
        ]
    )
)
_SIMPLE = {int: pa.int64(), str: pa.string(), bool: pa.bool_(), None: pa.null()}


def arrow_type(resource: str, field: Field) -> pa.DataType:
    if field.kind == "unix":
        return pa.timestamp("s", tz="UTC")
    if field.kind == "hashtag_info":
        return _HASHTAG_INFO
    python = PYTHON_TYPES[resource][field.name]
    if isinstance(python, types.UnionType):  # int | None: nullable, as every column is
        (python,) = [a for a in typing.get_args(python) if a is not type(None)]
    if python in _SIMPLE:
        return _SIMPLE[python]
    (item,) = typing.get_args(python)  # list[int] or list[str]
    return pa.list_(_SIMPLE[item])


class Writer:
    suffix = ""
    content_type = "application/octet-stream"

    def __init__(self, path: Path, resource: str, fields: list[Field]):
        self.path, self.resource, self.fields = path, resource, fields
        self.rows = 0

    def write(self, names: list[str], columns: list):
        raise NotImplementedError

    def close(self):
        pass


def _unix_times(fields: list[Field], columns: list) -> list:
    """Times as Unix seconds, as the API writes them (the rows arrive with datetimes)."""
    return [
        [None if v is None else int(v.timestamp()) for v in column]
        if field.kind == "unix"
        else column
        for field, column in zip(fields, columns, strict=True)
    ]


class JsonLinesWriter(Writer):
    suffix = ".jsonl"
    content_type = "application/x-ndjson"

    def __init__(self, *args):
        super().__init__(*args)
        self.file = open(self.path, "wb")  # noqa: SIM115 - closed in close()

    def write(self, names, columns):
        columns = _unix_times(self.fields, columns)
        lines = [
            orjson.dumps(dict(zip(names, values, strict=True)))
            for values in zip(*columns, strict=True)
        ]
        self.file.write(b"\n".join(lines) + b"\n" if lines else b"")
        self.rows += len(lines)

    def close(self):
        self.file.close()


class CsvWriter(Writer):
    suffix = ".csv"
    content_type = "text/csv; charset=utf-8"

    def __init__(self, *args):
        super().__init__(*args)
        self.file = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self.csv = csv.writer(self.file)
        self.csv.writerow([f.name for f in self.fields])

    @staticmethod
    def _cell(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list | dict):
            return orjson.dumps(value).decode()
        return value

    def write(self, names, columns):
        columns = _unix_times(self.fields, columns)
        cell = self._cell
        rows = [[cell(v) for v in values] for values in zip(*columns, strict=True)]
        self.csv.writerows(rows)
        self.rows += len(rows)

    def close(self):
        self.file.close()


class ParquetWriter(Writer):
    suffix = ".parquet"
    content_type = "application/vnd.apache.parquet"

    def __init__(self, *args):
        super().__init__(*args)
        self.schema = pa.schema([(f.name, arrow_type(self.resource, f)) for f in self.fields])
        self.writer = pq.ParquetWriter(self.path, self.schema, compression="zstd")

    def write(self, names, columns):
        arrays = [
            pa.array(values, type=self.schema.field(name).type)
            for name, values in zip(names, columns, strict=True)
        ]
        if arrays and len(arrays[0]):
            self.writer.write_table(pa.Table.from_arrays(arrays, schema=self.schema))
            self.rows += len(arrays[0])

    def close(self):
        self.writer.close()


WRITERS = {"csv": CsvWriter, "jsonl": JsonLinesWriter, "parquet": ParquetWriter}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(io.DEFAULT_BUFFER_SIZE * 64):
            digest.update(chunk)
    return digest.hexdigest()
