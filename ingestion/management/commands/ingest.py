from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ingestion.reader import IngestRejected
from ingestion.service import ingest


class Command(BaseCommand):
    help = (
        "Ingest JSON Lines exports of the platform (creators, videos, comments, follows, "
        "engagements, policies, decisions, deletions; see docs/ingestion.md). All files form "
        "one batch: if any record is bad, nothing is applied and the command exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path, help="files (.jsonl or .jsonl.gz)")
        parser.add_argument(
            "--max-errors",
            type=int,
            default=50,
            help="how many problems to list before summarising (default 50)",
        )

    def handle(self, *args, files, max_errors, **options):
        try:
            report = ingest(files, max_problems=max(1, max_errors))
        except IngestRejected as rejected:
            for problem in rejected.problems:
                self.stderr.write(str(problem))
            hidden = rejected.total - len(rejected.problems)
            if hidden:
                self.stderr.write(f"... and {hidden} more")
            raise CommandError(f"{rejected.total} problem(s) found; nothing was applied") from None
        self.stdout.write(f"ingest batch {report.batch_id} applied:")
        for record_type, outcomes in report.counts.items():
            summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
            self.stdout.write(f"  {record_type:<11} {summary}")
