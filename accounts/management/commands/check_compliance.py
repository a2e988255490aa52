from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.services.projects import warn_overdue_compliance


class Command(BaseCommand):
    help = (
        "E-mail the members of projects whose compliance sync is overdue "
        "(RESEARCH_API_COMPLIANCE_SYNC_DAYS; run it daily). Their data requests pause "
        "RESEARCH_API_COMPLIANCE_GRACE_DAYS later, until they sync."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"warned {warn_overdue_compliance(timezone.now())} projects")
