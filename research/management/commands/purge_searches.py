from django.core.management.base import BaseCommand

from research.paging import purge_expired


class Command(BaseCommand):
    help = "Delete searches older than 24 hours and their page bookmarks (run it daily)."

    def handle(self, *args, **options):
        self.stdout.write(f"purged {purge_expired()} expired searches")
