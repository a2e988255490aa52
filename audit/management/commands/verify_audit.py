from django.core.management.base import BaseCommand, CommandError

from audit.services import verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain; report the first broken link and exit non-zero."

    def handle(self, *args, **options):
        checked, problem = verify()
        if problem:
            raise CommandError(f"audit log broken after {checked} good entries: {problem}")
        self.stdout.write(f"audit log intact: {checked} entries, chain verified")
