from django.core.management.base import BaseCommand

from exports.services import purge_expired


class Command(BaseCommand):
    help = (
        "Delete the files of exports past RESEARCH_API_EXPORT_RETENTION_DAYS, each with an "
        "audit entry (run it daily)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"expired {purge_expired()} exports")
