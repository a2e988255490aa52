from django.core.management.base import BaseCommand
from django.utils import timezone

from quotas.services import purge_burst_windows
from research.paging import purge_expired


class Command(BaseCommand):
    help = (
        "Delete searches older than 24 hours with their page bookmarks, and burst windows "
        "that ended (run it daily)."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        self.stdout.write(f"purged {purge_expired(now)} expired searches")
        self.stdout.write(f"purged {purge_burst_windows(now)} ended burst windows")
