"""Writing pulled records to a file, page by page, so that a pull can resume.

Records go to a spool (``OUT.partial.jsonl``) as each page arrives; the pull's state file
says how many records the spool held when the last page was handed on, so a resumed pull
first cuts the spool back to that (a page written but not yet marked done is written again,
never twice). When the pull is complete, the spool becomes the output: JSON Lines as it is,
Parquet and CSV through Arrow with the codebook's types.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from research_api_client.errors import ResearchApiError
from research_api_client.tables import to_arrow


class UsageError(ResearchApiError):
    """What the command line asked for cannot be done (exit 2)."""


class SpoolError(ResearchApiError):
    """The pull's spool does not match its state (exit 1)."""


FORMATS = {".parquet": "parquet", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def format_of(path: Path, given: str | None) -> str:
    if given:
        return given
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise UsageError(
            f"cannot tell the format of {path.name}: "
            "name it .parquet, .csv or .jsonl, or pass --format"
        ) from None


class Spool:
    def __init__(self, output: Path):
        self.output = output
        self.path = output.with_name(output.name + ".partial.jsonl")

    def resume_at(self, records: int) -> None:
        """Keep the first `records` lines of the spool (what the state says was handed on)."""
        if not self.path.exists():
            if records:
                raise SpoolError(
                    f"{self.path} is missing; the pull cannot resume without it (use --restart)"
                )
            return
        kept, offset = 0, 0
        with open(self.path, "rb") as handle:
            for line in handle:
                if kept == records:
                    break
                offset += len(line)
                kept += 1
        if kept < records:
            raise SpoolError(
                f"{self.path} holds {kept} records, the state says {records} (use --restart)"
            )
        with open(self.path, "r+b") as handle:
            handle.truncate(offset)

    def write(self, page: list[dict]) -> None:
        with open(self.path, "ab") as handle:
            for record in page:
                handle.write(json.dumps(record, ensure_ascii=False).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())

    def records(self) -> list[dict]:
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle]

    def finish(self, fmt: str, types: dict[str, str]) -> int:
        """Turn the spool into the output file; returns the records written."""
        records = self.records()
        if fmt == "jsonl":
            self.path.touch()
            os.replace(self.path, self.output)
            return len(records)
        write(records, self.output, fmt, types)
        self.path.unlink(missing_ok=True)
        return len(records)


def write(records: list[dict], output: Path, fmt: str, types: dict[str, str]) -> None:
    table = to_arrow(records, types)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(table, output)
    elif fmt == "csv":
        import pyarrow as pa
        import pyarrow.csv as pcsv

        for i, column in enumerate(table.columns):  # CSV has no lists: write them as JSON
            if pa.types.is_list(column.type):
                text = pa.array(
                    [
                        None if v is None else json.dumps(v, ensure_ascii=False)
                        for v in column.to_pylist()
                    ],
                    pa.string(),
                )
                table = table.set_column(i, table.field(i).name, text)
        pcsv.write_csv(table, output)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
