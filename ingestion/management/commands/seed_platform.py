import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ingestion.synthetic.generator import SyntheticPlatform
from ingestion.synthetic.loader import CatalogueNotEmpty, load
from ingestion.synthetic.tables import tables


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic platform (same --videos and --seed, same data) "
        "and load it: creators, videos, comments, follows, engagements, moderation decisions "
        "and deletions. Texts are scrubbed as ingestion does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--videos", type=int, default=20_000, help="number of videos")
        parser.add_argument("--seed", type=int, default=1, help="random seed")
        parser.add_argument(
            "--reset", action="store_true", help="replace the catalogue if it already holds data"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, videos, seed, reset, no_progress, **options):
        if videos < 100:
            raise CommandError("--videos must be at least 100")
        if seed < 0:
            raise CommandError("--seed must not be negative")
        started = time.perf_counter()
        platform = SyntheticPlatform(videos, seed)
        total = sum(table.count for table in tables(platform))
        bar = tqdm(
            total=total,
            unit=" rows",
            unit_scale=True,
            disable=no_progress or None,
            desc="seed_platform",
            file=self.stderr._out,
        )
        generated = time.perf_counter() - started
        try:
            report = load(platform, reset=reset, progress=bar.update)
        except CatalogueNotEmpty as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"synthetic platform (videos={videos}, seed={seed}) loaded in {elapsed:.1f} s:"
        )
        self.stdout.write(f"  {'generate numbers':<32} {'':>12} {generated:>8.1f} s")
        for name, seconds in report.seconds.items():
            rows = f"{report.rows[name]:,}" if name in report.rows else ""
            self.stdout.write(f"  {name:<32} {rows:>12} {seconds:>8.1f} s")
