from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from transparency.figures import figures, publish


class Command(BaseCommand):
    help = (
        "Compute the public transparency page's figures over the 365 days up to --end "
        "(default: today, UTC), with differential privacy (rho from "
        "RESEARCH_API_TRANSPARENCY_RHO unless --rho), and publish them as a new release. "
        "Every release spends its rho again: run it on a schedule (monthly, say), not on "
        "every request."
    )

    def add_arguments(self, parser):
        parser.add_argument("--end", metavar="YYYYMMDD", help="the window's last day (UTC)")
        parser.add_argument("--rho", type=float, help="what the whole release may cost")

    def handle(self, *args, **options):
        end = timezone.now().date()
        if options["end"]:
            try:
                end = date(
                    int(options["end"][:4]), int(options["end"][4:6]), int(options["end"][6:])
                )
            except ValueError:
                raise CommandError(f"--end {options['end']!r} is not a date (YYYYMMDD)") from None
            if len(options["end"]) != 8:
                raise CommandError(f"--end {options['end']!r} is not a date (YYYYMMDD)")
        rho = (
            options["rho"] if options["rho"] is not None else settings.RESEARCH_API_TRANSPARENCY_RHO
        )
        if not 0 < rho <= 100:
            raise CommandError(f"--rho must be above 0 and at most 100, got {rho}")
        release = publish(end, rho)
        self.stdout.write(
            f"published {len(figures())} figures over {release.start_date} to "
            f"{release.end_date} (rho {release.rho:g}): /transparency/"
        )
