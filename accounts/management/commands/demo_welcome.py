from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from accounts import demo
from catalog.models import Comment, Creator, Video
from moderation.models import Decision


class Command(BaseCommand):
    help = (
        "Development only: the demo's people, applications and API credentials (the same "
        "at every start of a database), and where to go next. Refuses to run unless "
        "DJANGO_DEBUG=true."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_welcome creates accounts with known passwords; it only "
                "runs with DJANGO_DEBUG=true"
            )
        # The demo's applicants are not mailed about their made-up applications.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            logins, key, secret = demo.ensure()
        width = max(len(login.email) for login in logins)
        people = "\n".join(
            f"  {login.email:<{width}}  password {login.password}   {login.role}"
            for login in logins
        )
        self.stdout.write(f"""
Research API is ready, with a synthetic platform of {Video.objects.count():,} videos,
{Creator.objects.count():,} accounts, {Comment.objects.count():,} comments and
{Decision.objects.count():,} moderation decisions.

  API docs        {url}/docs/
  Portal          {url}/portal/        (researchers and applicants)
  Review queue    {url}/admin/accounts/application/   (the reviewer; the administrator)
  Transparency    {url}/transparency/   (public: no sign-in)
  Health          {url}/healthz

Demo sign-ins (demo data: the same at every start of this database, never for real use):
{people}

Demo project credentials (all scopes; the same at every start of this database):
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
