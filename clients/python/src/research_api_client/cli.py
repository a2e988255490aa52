"""research-api: the Research API from the command line.

Every command reads credentials from --url/--client-key/--client-secret, the environment
(RESEARCH_API_URL, RESEARCH_API_CLIENT_KEY, RESEARCH_API_CLIENT_SECRET) or the config file.
Long pulls show progress on the terminal and resume: run the same command again after an
interruption and it carries on where it stopped, without asking for a page twice.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from research_api_client import __version__
from research_api_client.client import Client, condition, query
from research_api_client.errors import ResearchApiError
from research_api_client.output import Spool, format_of, write

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

exit codes: 0 done, 1 the API refused or failed, 2 bad usage, 130 interrupted (run the
same command again to resume).
"""


class Interrupted(Exception):
    pass


class _Stop:
    """The first Ctrl-C finishes the page in flight and stops cleanly; a second one stops now."""

    requested = False

    @classmethod
    def install(cls) -> None:
        def handler(signum, frame):
            if cls.requested:
                raise KeyboardInterrupt
            cls.requested = True
            print(
                "\nresearch-api: stopping after this page (Ctrl-C again to stop now)",
                file=sys.stderr,
            )

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)


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
        raise SystemExit(f"research-api: error: cannot read {path}: {error.strerror}") from None
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
            raise SystemExit(f"research-api: error: cannot read {path}: {error}") from None
        for name in names:
            if name in table.column_names:
                return [str(v) for v in table.column(name).to_pylist() if v is not None]
        raise SystemExit(f"research-api: error: {path} has no column {' or '.join(names)}")
    return _lines(path)


def _filters(parser: argparse.ArgumentParser, decisions: bool = False) -> None:
    group = parser.add_argument_group("what to find (conditions are ANDed; values of one are ORed)")
    group.add_argument("--start", type=_date, required=True, help="first day, YYYYMMDD")
    group.add_argument(
        "--end", type=_date, required=True, help="last day, YYYYMMDD (at most 365 days)"
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
        raise SystemExit(
            "research-api: error: say what to find: "
            "--keyword, --hashtag, --region, --username or --where"
        )
    return query(*conditions)


def _output(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=required,
        help="file to write: .parquet, .csv or .jsonl",
    )
    parser.add_argument(
        "--format", choices=("parquet", "csv", "jsonl"), help="if the file name does not say"
    )
    parser.add_argument("--fields", help="comma-separated fields (default: every field)")
    parser.add_argument("--limit", type=int, help="stop after this many records")
    parser.add_argument(
        "--page-size", type=int, default=100, help="records per request (at most 100; default 100)"
    )
    parser.add_argument(
        "--state", type=Path, help="where the pull keeps its place (default: OUTPUT.state.json)"
    )


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
    _output(c)

    u = commands.add_parser("users", help="account profiles", description="Profiles of accounts.")
    u.add_argument("usernames", nargs="*")
    u.add_argument("--usernames-from", help="a file of usernames (a username column, or lines)")
    _output(u)

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
        _output(g)
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


def _pull_to_file(client: Client, pull, args, resource: str) -> int:
    """Write a pull to args.output page by page, resumably; returns the records written."""
    fmt = format_of(args.output, args.format)
    pull.state_path = args.state or args.output.with_name(args.output.name + ".state.json")
    spool = Spool(args.output)
    state = pull._load()
    resumed = state["records"] if state else 0
    spool.resume_at(resumed)
    if state:
        _say(f"resuming after {resumed:,} records ({pull.state_path})")
    elif spool.path.exists():
        spool.path.unlink()
    bar = _bar(desc="pulling", quiet=args.quiet)
    bar.update(resumed)
    for page in pull.pages():
        spool.write(page)
        bar.update(len(page))
        if _Stop.requested:
            bar.close()
            raise Interrupted(
                f"stopped after {bar.n:,} records; run the same command again to resume"
            )
    bar.close()
    return spool.finish(fmt, client.field_types(resource))


def _ids_or_file(values: list[str], path: str | None, names: tuple[str, ...]) -> list[str]:
    found = list(values) + (_column(path, names) if path else [])
    if not found:
        raise SystemExit(f"research-api: error: give {names[0]}s, or a file of them")
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
            ids = _ids_or_file(args.video_ids, args.ids_from, ("id", "video_id"))
            written = _many(
                client, args, ids, lambda i: client.comments(int(i), fields=args.fields), "comment"
            )
            _say(f"{written:,} comments of {len(ids):,} videos written to {args.output}")
        elif args.command == "users":
            names = _ids_or_file(args.usernames, args.usernames_from, ("username",))
            bar, rows = _bar(total=len(names), unit="accounts", quiet=args.quiet), []
            for profile in client.users(names, fields=args.fields):
                rows.append(profile)
                bar.update(1)
            bar.close()
            write(
                rows, args.output, format_of(args.output, args.format), client.field_types("user")
            )
            _say(f"{len(rows):,} of {len(names):,} accounts written to {args.output}")
        elif args.command in ("followers", "following"):
            names = _ids_or_file(args.usernames, args.usernames_from, ("username",))
            bar, rows = _bar(unit="edges", quiet=args.quiet), []
            for edge in client.snowball(names, args.snowball, direction=args.direction):
                rows.append(edge)
                bar.update(1)
                if args.limit is not None and len(rows) >= args.limit:
                    break
            bar.close()
            write(rows, args.output, format_of(args.output, args.format), {})
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


def _many(client, args, keys, pull_of, resource) -> int:
    """Pull one listing per key into one file (comments of many videos); resumable per key."""
    fmt = format_of(args.output, args.format)
    state_path = args.state or args.output.with_name(args.output.name + ".state.json")
    spool = Spool(args.output)
    done: dict = (
        json.loads(state_path.read_text()) if state_path.exists() else {"keys": 0, "records": 0}
    )
    spool.resume_at(done["records"])
    if done["keys"]:
        _say(f"resuming after {done['keys']:,} of {len(keys):,} ({state_path})")
    bar = _bar(total=len(keys), unit=resource.split("_")[0] + " lists", quiet=args.quiet)
    bar.update(done["keys"])
    for key in keys[done["keys"] :]:
        rows = [
            dict(
                r,
                **({"video_id": int(key)} if resource == "comment" and "video_id" not in r else {}),
            )
            for r in pull_of(key)
        ]
        spool.write(rows)
        done = {"keys": done["keys"] + 1, "records": done["records"] + len(rows)}
        state_path.write_text(json.dumps(done))
        bar.update(1)
        if _Stop.requested:
            bar.close()
            raise Interrupted(
                f"stopped after {done['keys']:,} of {len(keys):,}; "
                "run the same command again to resume"
            )
    bar.close()
    written = spool.finish(fmt, client.field_types(resource))
    state_path.unlink(missing_ok=True)
    return written


def _stats(client: Client, args) -> int:
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
    ids = _column(args.file, ("id", "video_id", "comment_id"))
    try:
        numbers = [int(i) for i in ids]
    except ValueError as error:
        raise SystemExit(f"research-api: error: {args.file}: {error}") from None
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
    _Stop.install()
    try:
        return run(args)
    except Interrupted as stop:
        print(f"research-api: {stop}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("research-api: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    except ResearchApiError as error:
        print(f"research-api: error: {error}", file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"research-api: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
