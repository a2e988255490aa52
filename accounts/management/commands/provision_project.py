import orjson
from django.core.management.base import BaseCommand, CommandError

from accounts.access import (
    DEFAULT_DAILY_RECORDS,
    DEFAULT_DAILY_REQUESTS,
    DEFAULT_GRAPH_DAILY_RECORDS,
    DEFAULT_GRAPH_DAILY_REQUESTS,
    ApplicantType,
)
from accounts.services.projects import provision_project
from codebook.scopes import SCOPE_DESCRIPTIONS
from core.errors import ApiError


class Command(BaseCommand):
    help = (
        "Create an approved project without the review workflow (operators, demos) and print "
        "its client credentials. The secret is shown once; it is stored hashed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--owner", required=True, help="the principal investigator's e-mail")
        parser.add_argument("--title", required=True)
        parser.add_argument(
            "--scopes", required=True, help=f"space-separated, from: {' '.join(SCOPE_DESCRIPTIONS)}"
        )
        parser.add_argument(
            "--kind", choices=ApplicantType.values, default=ApplicantType.RESEARCHER
        )
        parser.add_argument("--daily-requests", type=int, default=DEFAULT_DAILY_REQUESTS)
        parser.add_argument("--daily-records", type=int, default=DEFAULT_DAILY_RECORDS)
        parser.add_argument(
            "--graph-daily-requests",
            type=int,
            default=DEFAULT_GRAPH_DAILY_REQUESTS,
            help="follower/following lists (default 20,000)",
        )
        parser.add_argument(
            "--graph-daily-records",
            type=int,
            default=DEFAULT_GRAPH_DAILY_RECORDS,
            help="follower/following lists (default 2,000,000)",
        )
        parser.add_argument("--access-days", type=int, default=365)
        parser.add_argument("--json", action="store_true", help="print JSON only")

    def handle(
        self,
        *args,
        owner,
        title,
        scopes,
        kind,
        daily_requests,
        daily_records,
        graph_daily_requests,
        graph_daily_records,
        access_days,
        json,
        **options,
    ):
        wanted = scopes.replace(",", " ").split()
        unknown = [s for s in wanted if s not in SCOPE_DESCRIPTIONS]
        if unknown or not wanted:
            raise CommandError(
                f"--scopes: unknown or missing scopes {' '.join(unknown)}; choose "
                f"from {' '.join(SCOPE_DESCRIPTIONS)}"
            )
        if "@" not in owner:
            raise CommandError("--owner must be an e-mail address")
        try:
            project, client_key, secret = provision_project(
                owner_email=owner,
                title=title,
                scopes=wanted,
                daily_requests=daily_requests,
                daily_records=daily_records,
                graph_daily_requests=graph_daily_requests,
                graph_daily_records=graph_daily_records,
                access_days=access_days,
                kind=kind,
            )
        except ApiError as error:
            raise CommandError(str(error)) from None
        result = {"project_id": str(project.id), "client_key": client_key, "client_secret": secret}
        if json:
            self.stdout.write(orjson.dumps(result).decode())
        else:
            self.stdout.write(
                f'project {project.id} "{title}" (scopes: {" ".join(wanted)})\n'
                f"  client_key     {client_key}\n  client_secret  {secret}\n"
                f"The secret is shown this once."
            )
