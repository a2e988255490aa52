"""research-api: the Research API from the command line.

Every command reads credentials from --url/--client-key/--client-secret, the environment
(RESEARCH_API_URL, RESEARCH_API_CLIENT_KEY, RESEARCH_API_CLIENT_SECRET) or the config file.
Long pulls show progress on the terminal and resume: run the same command again after an
interruption and it carries on where it stopped, without asking for a page twice.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
from pathlib import Path

from research_api_client import __version__
from research_api_client.client import Client, condition, query
from research_api_client.errors import ResearchApiError
from research_api_client.output import Spool, UsageError, format_of, write
from research_api_client.pulls import StateMismatch

EXAMPLES = """\
examples:
  research-api query videos --keywords-file terms.txt --start 20251101 --end 20261031 \\
      --region DE --region AT -o videos.parquet
  research-api comments --ids-from videos.parquet -o comments.csv
  research-api followers u1c35ef439435bee --snowball 2 -o graph.parquet
  research-api decisions --where detection_method=HASH_MATCH --start 20260101 --end 20261031 \\
      -o decisions.jsonl
  research-api stats --group-by policy --period month --metric decisions --metric proactive_rate \\
      --start 20251101 --end 20261031 --rho 0.1
  research-api export create videos --hashtag fyp --start 20260101 --end 20261031 --wait
  research-api export download EXPORT_ID -d exports/
  research-api compliance check video_ids.txt -o gone.txt
  research-api usage

credentials: --url, --client-key and --client-secret; or RESEARCH_API_URL,
RESEARCH_API_CLIENT_KEY and RESEARCH_API_CLIENT_SECRET; or a [profile] in
~/.config/research-api/config.toml (--config, --profile). Secrets are never printed.

the server defaults to http://127.0.0.1:8000 (make demo's): set RESEARCH_API_URL or --url.

graph files: followers writes (source, target, hop) edges where target follows source;
following writes edges where source follows target.

exit codes: 0 done, 1 the API refused or failed, 2 bad usage (arguments, files, another
pull's state), 130 interrupted (pulls resume when run again).
"""


class Interrupted(Exception):
    pass


class _Stop:
    """Around a resumable pull: the first Ctrl-C finishes the page in flight and stops
    cleanly; a second one, or SIGTERM, stops at once (the pull's state is consistent at any
    moment, so it resumes either way)."""

    requested = False

    def __enter__(self):
        def handler(signum, frame):
            if _Stop.requested:
                raise KeyboardInterrupt
            _Stop.requested = True
            print(
                "\nresearch-api: stopping after this page (Ctrl-C again to stop now)",
                file=sys.stderr,
            )

        self._previous = signal.signal(signal.SIGINT, handler)
        return self

    def __exit__(self, *exc):
        signal.signal(signal.SIGINT, self._previous)


def _terminate(signum, frame):
    raise KeyboardInterrupt  # SIGTERM: stop now, as a second Ctrl-C does


def _bar(total=None, unit="records", desc=None, quiet=False):
    from tqdm import tqdm

    # Without a total, tqdm would write "564records": say "564 records" instead.
    counting = None if total else "{desc}{n_fmt} " + unit + " [{elapsed}, {rate_fmt}]"
    return tqdm(
        total=total,
        unit=unit,
        desc=(f"{desc}: " if desc and not total else desc),
        file=sys.stderr,
        disable=quiet or None,
        dynamic_ncols=True,
        bar_format=counting,
    )


def _say(message: str) -> None:
    from tqdm import tqdm

    tqdm.write(f"research-api: {message}", file=sys.stderr)


# --- Arguments ----------------------------------------------------------------------------------


def _date(text: str) -> str:
    digits = text.replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYYMMDD or YYYY-MM-DD")
    return digits


def _where(text: str) -> tuple[str, list[str]]:
    name, sep, values = text.partition("=")
    if not sep or not name or not values:
        raise argparse.ArgumentTypeError(
            f"{text!r}: use FIELD=VALUE[,VALUE...], e.g. region_code=DE,FR"
        )
    return name.strip(), [v.strip() for v in values.split(",") if v.strip()]


def _lines(path: str) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _column(path: str, names: tuple[str, ...]) -> list[str]:
    """A column of ids or usernames from a Parquet, CSV or JSON Lines file, or lines of text."""
    suffix = Path(path).suffix.lower()
    if suffix in (".parquet", ".csv", ".jsonl", ".ndjson"):
        import pyarrow as pa

        try:
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                table = pq.read_table(path)
            elif suffix == ".csv":
                import pyarrow.csv as pcsv

                table = pcsv.read_csv(path)
            else:
                import pyarrow.json as pjson

                table = pjson.read_json(path)
        except (OSError, pa.ArrowInvalid) as error:
            raise UsageError(f"cannot read {path}: {error}") from None
        for name in names:
            if name in table.column_names:
                return [str(v) for v in table.column(name).to_pylist() if v is not None]
        raise UsageError(f"{path} has no column {' or '.join(names)}")
    return _lines(path)


def _filters(parser: argparse.ArgumentParser, decisions: bool = False) -> None:
    group = parser.add_argument_group("what to find (conditions are ANDed; values of one are ORed)")
    group.add_argument(
        "--start", type=_date, required=True, help="first day, YYYYMMDD or YYYY-MM-DD"
    )
    group.add_argument(
        "--end", type=_date, required=True, help="last day (at most 365 days after --start)"
    )
    group.add_argument(
        "--keyword", action="append", default=[], help="a keyword or phrase (repeatable)"
    )
    group.add_argument("--keywords-file", help="keywords, one per line (# starts a comment)")
    if not decisions:
        group.add_argument(
            "--hashtag", action="append", default=[], help="a hashtag, without # (repeatable)"
        )
        group.add_argument(
            "--region", action="append", default=[], help="a region code, e.g. DE (repeatable)"
        )
    group.add_argument(
        "--username", action="append", default=[], help="an account's pseudonymous username"
    )
    group.add_argument(
        "--where",
        action="append",
        type=_where,
        default=[],
        metavar="FIELD=V1,V2",
        help="any query field, e.g. --where detection_method=HASH_MATCH (repeatable)",
    )
    group.add_argument(
        "--random", action="store_true", help="a uniform random sample, reproducible"
    )


def _query_of(args) -> dict:
    keywords = list(args.keyword) + (_lines(args.keywords_file) if args.keywords_file else [])
    conditions = []
    if keywords:
        conditions.append(condition("keyword", keywords))
    for name, values in (
        ("hashtag_name", getattr(args, "hashtag", [])),
        ("region_code", getattr(args, "region", [])),
        ("username", args.username),
    ):
        if values:
            conditions.append(condition(name, values))
    conditions += [condition(name, values) for name, values in args.where]
    if not conditions:
        raise UsageError("say what to find: --keyword, --hashtag, --region, --username or --where")
    return query(*conditions)


def _output(
    parser: argparse.ArgumentParser, *, fields=True, limit=True, page_size=True, resumable=True
) -> None:
    """The output options a command honours (and no others)."""
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="file to write: .parquet, .csv or .jsonl"
    )
    parser.add_argument(
        "--format", choices=("parquet", "csv", "jsonl"), help="if the file name does not say"
    )
    if fields:
        parser.add_argument("--fields", help="comma-separated fields (default: every field)")
    if limit:
        parser.add_argument("--limit", type=int, help="stop after this many records")
    if page_size:
        parser.add_argument(
            "--page-size", type=int, default=100, help="records per request (1-100; default 100)"
        )
    if resumable:
        parser.add_argument(
            "--state", type=Path, help="where the pull keeps its place (default: OUTPUT.state.json)"
        )
        parser.add_argument(
            "--restart", action="store_true", help="forget an interrupted pull and start over"
        )


def _check_output(args) -> str:
    """The output's format, and that it can be written: before any request is spent."""
    fmt = format_of(args.output, args.format)
    folder = args.output.parent if str(args.output.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a directory")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"cannot write to {folder}")
    if getattr(args, "page_size", 1) is not None and not 1 <= getattr(args, "page_size", 1) <= 100:
        raise UsageError("--page-size must be between 1 and 100")
    if getattr(args, "limit", None) is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1")
    return fmt


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="research-api",
        description="Pull data from a Research API server: videos, comments, accounts, "
        "follow graphs, moderation decisions and statistics, exports and compliance checks.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--url", help="the server, e.g. https://research.example.org")
    parser.add_argument("--client-key")
    parser.add_argument(
        "--client-secret", help="better: RESEARCH_API_CLIENT_SECRET or the config file"
    )
    parser.add_argument("--config", help="config file (TOML)")
    parser.add_argument("--profile", default="default", help="profile in the config file")
    parser.add_argument(
        "--max-wait",
        type=float,
        default=900,
        help="seconds one request may wait for rate limits (900)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    q = commands.add_parser(
        "query", help="search videos", description="Search videos and write every match to a file."
    )
    q_what = q.add_subparsers(dest="what", required=True, metavar="videos")
    videos = q_what.add_parser(
        "videos",
        help="videos matching keywords, hashtags, regions, accounts...",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  research-api query videos --keyword caliphate --start 20251101 "
        "--end 20261031 -o videos.parquet",
    )
    _filters(videos)
    _output(videos)

    d = commands.add_parser(
        "decisions",
        help="moderation decisions",
        description="Moderation decisions matching "
        "a query (scope research.data.moderation), actioned between the dates.",
    )
    _filters(d, decisions=True)
    _output(d)

    c = commands.add_parser(
        "comments", help="comments of videos", description="Every comment of the given videos."
    )
    c.add_argument("video_ids", nargs="*", help="video ids")
    c.add_argument(
        "--ids-from", help="a file of video ids (.parquet/.csv/.jsonl with an id column, or lines)"
    )
    _output(c, limit=False)

    u = commands.add_parser("users", help="account profiles", description="Profiles of accounts.")
    u.add_argument("usernames", nargs="*")
    u.add_argument("--usernames-from", help="a file of usernames (a username column, or lines)")
    _output(u, limit=False, page_size=False, resumable=False)

    for name, direction in (("followers", "followers"), ("following", "following")):
        g = commands.add_parser(
            name,
            help=f"{name} of accounts",
            description=f"The {name} of accounts, as edges "
            "(source, target, hop); --snowball N follows them N hops out.",
        )
        g.add_argument("usernames", nargs="*")
        g.add_argument("--usernames-from", help="a file of usernames (a username column, or lines)")
        g.add_argument(
            "--snowball", type=int, default=1, metavar="DEPTH", help="hops to follow (default 1)"
        )
        _output(g, fields=False, page_size=False, resumable=False)
        g.set_defaults(fields=None)
        g.set_defaults(direction=direction)

    s = commands.add_parser(
        "stats",
        help="moderation statistics",
        description="Moderation statistics "
        "(scope research.stats); exact with small cells withheld, or differentially "
        "private with --rho (charged to the project's privacy budget).",
    )
    s.add_argument("--start", type=_date, required=True)
    s.add_argument("--end", type=_date, required=True)
    s.add_argument(
        "--group-by", action="append", default=[], help="a dimension, e.g. policy (up to three)"
    )
    s.add_argument(
        "--metric",
        action="append",
        default=[],
        help="a metric, e.g. proactive_rate (default decisions)",
    )
    s.add_argument("--period", choices=("day", "week", "month", "quarter"))
    s.add_argument("--where", action="append", type=_where, default=[], metavar="FIELD=V1,V2")
    s.add_argument("--rho", type=float, help="a differentially private answer costing this rho")
    s.add_argument(
        "-o",
        "--output",
        type=Path,
        help=".parquet, .csv or .jsonl (default: a table on the terminal)",
    )
    s.add_argument("--format", choices=("parquet", "csv", "jsonl"))

    e = commands.add_parser(
        "export",
        help="bulk exports",
        description="Bulk exports, written by the server "
        "in the background (scope research.export).",
    )
    e_do = e.add_subparsers(dest="action", required=True, metavar="create|status|download")
    create = e_do.add_parser("create", help="ask for an export")
    create.add_argument(
        "resource",
        choices=("videos", "comments", "accounts", "follow_edges", "moderation_decisions"),
    )
    _filters(create)
    create.add_argument("--format", choices=("parquet", "csv", "jsonl"), default="parquet")
    create.add_argument("--fields", help="comma-separated fields")
    create.add_argument("--max-records", type=int)
    create.add_argument("--wait", action="store_true", help="follow it until it finishes")
    create.add_argument("-d", "--directory", type=Path, help="and download its files here")
    status = e_do.add_parser("status", help="an export's status")
    status.add_argument("export_id")
    status.add_argument("--wait", action="store_true", help="follow it until it finishes")
    download = e_do.add_parser("download", help="download an export's files, checking each SHA-256")
    download.add_argument("export_id")
    download.add_argument("-d", "--directory", type=Path, default=Path("."))

    comp = commands.add_parser(
        "compliance",
        help="deletion compliance",
        description="Which of your ids are still available (scope research.compliance).",
    )
    comp_do = comp.add_subparsers(dest="action", required=True, metavar="check")
    check = comp_do.add_parser("check", help="check a file of ids; write those no longer available")
    check.add_argument(
        "file", help="ids, one per line (or a .parquet/.csv/.jsonl with an id column)"
    )
    check.add_argument("--category", choices=("video", "comment"), default="video")
    check.add_argument(
        "-o", "--output", type=Path, help="write the ids to purge here (default: stdout)"
    )

    commands.add_parser("usage", help="today's quotas and the privacy budget")
    return parser


# --- Commands -----------------------------------------------------------------------------------


def _state_path(args) -> Path:
    return args.state or args.output.with_name(args.output.name + ".state.json")


def _start(args, spool: Spool, state_path: Path) -> None:
    """--restart forgets an interrupted pull; a spool without its state is never reused."""
    if args.restart:
        state_path.unlink(missing_ok=True)
        spool.path.unlink(missing_ok=True)
    elif spool.path.exists() and not state_path.exists():
        raise UsageError(
            f"{spool.path} is left from a pull whose place ({state_path}) is gone: "
            "run again with --restart to start over"
        )


def _pull_to_file(client: Client, pull, args, resource: str) -> int:
    """Write a pull to args.output page by page, resumably; returns the records written.
    The pull's state is kept until the output file is written."""
    fmt = _check_output(args)
    types = client.field_types(resource)  # before the first page: nothing to lose if it fails
    pull.state_path = _state_path(args)
    spool = Spool(args.output)
    _start(args, spool, pull.state_path)
    resumed = pull.resumed_records()
    spool.resume_at(resumed)
    if resumed:
        _say(f"resuming after {resumed:,} records ({pull.state_path})")
    bar = _bar(desc="pulling", quiet=args.quiet)
    bar.update(resumed)
    pulled = resumed  # not the bar's count: a bar off a terminal counts nothing
    with _Stop():
        for page in pull.pages(finish=False):
            spool.write(page)
            pulled += len(page)
            bar.update(len(page))
            if _Stop.requested:
                bar.close()
                raise Interrupted(
                    f"stopped after {pulled:,} records; run the same command again to resume"
                )
    bar.close()
    written = spool.finish(fmt, types)
    pull.done()
    return written


def _ids_or_file(values: list[str], path: str | None, names: tuple[str, ...]) -> list[str]:
    found = list(values) + (_column(path, names) if path else [])
    if not found:
        raise UsageError(f"give {names[0]}s, or a file of them")
    return list(dict.fromkeys(found))


def run(args) -> int:
    if args.command == "usage":
        return _usage(args)
    client = _client(args)
    with client:
        if args.command in ("query", "decisions"):
            lister = client.videos if args.command == "query" else client.decisions
            resource = "video" if args.command == "query" else "moderation_decision"
            pull = lister(
                _query_of(args),
                args.start,
                args.end,
                fields=args.fields,
                is_random=args.random,
                limit=args.limit,
                max_count=args.page_size,
            )
            written = _pull_to_file(client, pull, args, resource)
            _say(f"{written:,} records written to {args.output}")
        elif args.command == "comments":
            _check_output(args)
            ids = _ids_or_file(args.video_ids, args.ids_from, ("id", "video_id"))
            written = _many(
                client,
                args,
                ids,
                lambda i: client.comments(int(i), fields=args.fields, max_count=args.page_size),
                "comment",
            )
            _say(f"{written:,} comments of {len(ids):,} videos written to {args.output}")
        elif args.command == "users":
            fmt = _check_output(args)
            names = _ids_or_file(args.usernames, args.usernames_from, ("username",))
            types = client.field_types("user")
            bar = _bar(total=len(names), unit="accounts", quiet=args.quiet)
            rows = _collect(client.users(names, fields=args.fields), bar, None, args, fmt, types)
            write(rows, args.output, fmt, types)
            _say(f"{len(rows):,} of {len(names):,} accounts written to {args.output}")
        elif args.command in ("followers", "following"):
            fmt = _check_output(args)
            names = _ids_or_file(args.usernames, args.usernames_from, ("username",))
            bar = _bar(unit="edges", quiet=args.quiet)
            edges = client.snowball(names, args.snowball, direction=args.direction)
            rows = _collect(edges, bar, args.limit, args, fmt, {})
            write(rows, args.output, fmt, {})
            _say(
                f"{len(rows):,} edges, {args.snowball} hop(s) from {len(names):,} accounts, "
                f"written to {args.output}"
            )
        elif args.command == "stats":
            return _stats(client, args)
        elif args.command == "export":
            return _export(client, args)
        elif args.command == "compliance":
            return _compliance(client, args)
    return 0


def _collect(records, bar, limit, args, fmt, types) -> list[dict]:
    """Everything `records` yields (up to `limit`). If it fails or is interrupted half-way,
    what was collected is written to the output all the same, and the failure goes on."""
    rows: list[dict] = []
    try:
        for record in records:
            rows.append(record)
            bar.update(1)
            if limit is not None and len(rows) >= limit:
                break
    except (ResearchApiError, KeyboardInterrupt):
        bar.close()
        if rows:
            write(rows, args.output, fmt, types)
            _say(f"incomplete: the {len(rows):,} records collected are in {args.output}")
        raise
    bar.close()
    return rows


def _many(client, args, keys, pull_of, resource) -> int:
    """Pull one listing per key into one file (comments of many videos), resumable per key:
    a key's listing is asked for again only if the pull stopped inside it."""
    fmt = _check_output(args)
    types = client.field_types(resource)
    state_path = _state_path(args)
    spool = Spool(args.output)
    _start(args, spool, state_path)
    # What makes this pull: the command, its keys and fields. Another pull's state is refused.
    fingerprint = hashlib.sha256(
        json.dumps([resource, keys, getattr(args, "fields", None)]).encode()
    ).hexdigest()
    done = {"fingerprint": fingerprint, "keys": 0, "records": 0}
    if state_path.exists():
        try:
            done = json.loads(state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise UsageError(f"{state_path} is unreadable ({error}); use --restart") from None
        if not isinstance(done, dict) or done.get("fingerprint") != fingerprint:
            raise UsageError(f"{state_path} belongs to another pull; use --restart or --state")
    spool.resume_at(done["records"])
    if done["keys"]:
        _say(f"resuming after {done['keys']:,} of {len(keys):,} ({state_path})")
    bar = _bar(total=len(keys), unit=resource.split("_")[0] + " lists", quiet=args.quiet)
    bar.update(done["keys"])
    stop = _Stop()
    stop.__enter__()
    for key in keys[done["keys"] :]:
        rows = [
            dict(
                r,
                **({"video_id": int(key)} if resource == "comment" and "video_id" not in r else {}),
            )
            for r in pull_of(key)
        ]
        spool.write(rows)
        done = {**done, "keys": done["keys"] + 1, "records": done["records"] + len(rows)}
        _write_atomically(state_path, json.dumps(done))
        bar.update(1)
        if _Stop.requested:
            bar.close()
            raise Interrupted(
                f"stopped after {done['keys']:,} of {len(keys):,}; "
                "run the same command again to resume"
            )
    stop.__exit__()
    bar.close()
    written = spool.finish(fmt, types)
    state_path.unlink(missing_ok=True)
    return written


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _stats(client: Client, args) -> int:
    if args.output:
        _check_output(args)
    where = [condition(name, values) for name, values in args.where]
    stats = client.stats(
        args.start,
        args.end,
        metrics=args.metric or ["decisions"],
        group_by=args.group_by,
        period=args.period,
        filter=query(*where) if where else None,
        privacy={"rho": args.rho} if args.rho else None,
    )
    frame = stats.to_pandas()
    if args.output:
        fmt = format_of(args.output, args.format)
        if fmt == "parquet":
            frame.to_parquet(args.output)
        elif fmt == "csv":
            frame.to_csv(args.output, index=False)
        else:
            frame.to_json(args.output, orient="records", lines=True)
        _say(f"{len(frame):,} cells written to {args.output}")
    else:
        import pandas as pd

        with pd.option_context(
            "display.max_rows", 200, "display.width", 200, "display.max_columns", 30
        ):
            print(frame.to_string(index=False) if len(frame) else "(no cells)")
    meta = stats.meta
    if meta.get("privacy"):
        budget = meta.get("budget", {})
        _say(
            f"private answer: rho {meta['privacy'].get('rho')}"
            f"{' (a repeat: free)' if meta.get('repeat') else ''};"
            f" budget left {budget.get('rho_left')}"
        )
    if meta.get("suppressed_cells"):
        _say(
            f"{meta['suppressed_cells']} cell(s) withheld "
            f"(fewer than {meta.get('min_cell')} decisions)"
        )
    return 0


def _follow(export, quiet: bool) -> None:
    bar = _bar(
        total=export.data.get("estimated_total") or None,
        desc=f"export {export.status}",
        quiet=quiet,
    )

    def show(data: dict) -> None:
        bar.total = data.get("estimated_total") or bar.total
        bar.set_description(f"export {data['status']}")
        bar.update(max(0, (data.get("rows_written") or 0) - bar.n))

    try:
        export.wait(progress=show, poll=1.0)
    finally:
        bar.close()


def _export(client: Client, args) -> int:
    if args.action == "create":
        export = client.exports.create(
            args.resource,
            query=_query_of(args),
            start_date=args.start,
            end_date=args.end,
            format=args.format,
            fields=args.fields.split(",") if args.fields else None,
            max_records=args.max_records,
            is_random=args.random,
        )
        _say(
            f"export {export.id} {export.status} "
            f"({export.data.get('reserved_records', 0):,} records reserved)"
        )
        print(export.id)
        if args.wait or args.directory:
            _follow(export, args.quiet)
            _say(f"export {export.id} succeeded: {export.data['rows_written']:,} records")
        if args.directory:
            _download(export, args.directory, args.quiet)
        return 0
    export = client.exports.get(args.export_id)
    if args.action == "status":
        if args.wait:
            _follow(export, args.quiet)
        print(json.dumps(export.data, indent=2))
        return 0
    _download(export, args.directory, args.quiet)
    return 0


def _download(export, directory: Path, quiet: bool) -> None:
    total = sum(f.get("size", 0) for f in export.files)
    bar = _bar(total=total, unit="B", desc="download", quiet=quiet)
    bar.unit_scale = True
    try:
        paths = export.download(directory, progress=lambda done, _: bar.update(done - bar.n))
    finally:
        bar.close()
    for path in paths:
        _say(f"{path} (SHA-256 checked)")


def _compliance(client: Client, args) -> int:
    # The column of the category's ids: a comments file's `id` is a comment id.
    names = ("video_id", "id") if args.category == "video" else ("comment_id", "id")
    ids = _column(args.file, names)
    try:
        numbers = [int(i) for i in ids]
    except ValueError as error:
        raise UsageError(f"{args.file}: {error}") from None
    bar = _bar(total=len(numbers), unit="ids", quiet=args.quiet)
    result = client.compliance.check(
        numbers, args.category, progress=lambda done, _: bar.update(done - bar.n)
    )
    bar.close()
    lines = "".join(f"{i}\n" for i in result["invalid"])
    if args.output:
        args.output.write_text(lines)
    else:
        sys.stdout.write(lines)
    _say(
        f"{len(result['valid']):,} still available, {len(result['invalid']):,} to purge"
        + (f" (written to {args.output})" if args.output else "")
    )
    return 0


def _usage(args) -> int:
    with _client(args) as client:
        usage = client.usage()
    for family in usage["families"].values():
        r, n = family["requests"], family["records"]
        print(
            f"{family['endpoints']}: {r['used']:,}/{r['limit']:,} requests, "
            f"{n['used']:,}/{n['limit']:,} records today"
        )
    budget = usage["privacy_budget"]
    print(f"privacy budget (rho): {budget['rho_left']:g} left of {budget['rho_total']:g}")
    print(f"quotas reset at {usage['resets_at']}")
    return 0


def _client(args) -> Client:
    return Client(
        args.url,
        args.client_key,
        args.client_secret,
        config=args.config,
        profile=args.profile,
        max_wait=args.max_wait,
        on_wait=lambda reason, seconds: _say(f"waiting {seconds:.0f} s: {reason}"),
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        return run(args)
    except Interrupted as stop:
        print(f"research-api: {stop}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("research-api: interrupted" + _how_to_go_on(args), file=sys.stderr)
        return 130
    except (UsageError, StateMismatch) as error:
        print(f"research-api: error: {error}", file=sys.stderr)
        return 2
    except (ResearchApiError, OSError) as error:
        print(f"research-api: error: {_one_line(error)}", file=sys.stderr)
        return 1


def _how_to_go_on(args) -> str:
    if getattr(args, "command", "") in ("query", "decisions", "comments"):
        return "; run the same command again to resume"
    if getattr(args, "command", "") == "export" and getattr(args, "action", "") == "create":
        return "; the export goes on: follow it with `research-api export status ID --wait`"
    return ""


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename:
        return f"{error.filename}: {error.strerror}"
    return str(error).replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main())
