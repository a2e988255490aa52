import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Project, User
from accounts.services.projects import issue_secret, provision_project
from catalog.models import Comment, Creator, Video
from codebook.scopes import Scope
from moderation.models import Decision

DEMO_ADMIN = "admin@demo.localhost"
DEMO_RESEARCHER = "researcher@demo.localhost"
DEMO_PROJECT = "Demo project"


class Command(BaseCommand):
    help = (
        "Development only: fresh demo passwords and API credentials, and where to go "
        "next. Refuses to run unless DJANGO_DEBUG=true."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_welcome creates accounts with known passwords; it only "
                "runs with DJANGO_DEBUG=true"
            )
        admin_password = self._user(DEMO_ADMIN, staff=True)
        researcher_password = self._user(DEMO_RESEARCHER, staff=False)
        project = Project.objects.filter(
            title=DEMO_PROJECT, members__user__email=DEMO_RESEARCHER
        ).first()
        if project is None:
            project, key, secret = provision_project(
                owner_email=DEMO_RESEARCHER,
                title=DEMO_PROJECT,
                scopes=list(Scope.values),
                daily_requests=1_000,
                daily_records=100_000,
                access_days=365,
            )
        else:  # the secret is stored hashed: a new one at every start
            key, secret = issue_secret(project, User.objects.get(email=DEMO_RESEARCHER))
        self.stdout.write(f"""
Research API is ready, with a synthetic platform of {Video.objects.count():,} videos,
{Creator.objects.count():,} accounts, {Comment.objects.count():,} comments and
{Decision.objects.count():,} moderation decisions.

  API docs        {url}/docs/
  Portal          {url}/portal/    e-mail {DEMO_RESEARCHER}  password {researcher_password}
  Admin           {url}/admin/     e-mail {DEMO_ADMIN}       password {admin_password}
  Transparency    {url}/transparency/   (public: no sign-in)
  Health          {url}/healthz

Demo project credentials (all scopes; new at every start):
  client_key     {key}
  client_secret  {secret}

Try it:
  TOKEN=$(curl -s -X POST {url}/v2/oauth/token/ -d client_key={key} \\
      -d client_secret={secret} -d grant_type=client_credentials \\
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -s -X POST {url}/v2/research/project/info/ -H "Authorization: Bearer $TOKEN"
  curl -s -X POST '{url}/v2/research/video/query/?fields=id,username,video_description' \\
      -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
      -d '{{"query": {{"and": [{{"operation": "IN", "field_name": "region_code",
            "field_values": ["DE", "FR"]}}]}}, "start_date": "20260901",
            "end_date": "20261031", "max_count": 5}}'
  curl -s {url}/v2/research/usage/ -H "Authorization: Bearer $TOKEN"

Stop the server with Ctrl-C; `make demo` again keeps the data.
""")

    @staticmethod
    def _user(email: str, staff: bool) -> str:
        password = secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(email=email)
        user.is_staff = user.is_superuser = staff
        user.set_password(password)
        user.save()
        return password
