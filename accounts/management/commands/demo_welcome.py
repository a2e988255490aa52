import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from catalog.models import Comment, Creator, Video
from moderation.models import Decision

DEMO_ADMIN = "admin@demo.localhost"


class Command(BaseCommand):
    help = (
        "Development only: give the demo administrator a fresh random password and print "
        "where to go next. Refuses to run unless DJANGO_DEBUG=true."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_welcome creates a superuser; it only runs with DJANGO_DEBUG=true"
            )
        password = secrets.token_urlsafe(12)
        admin, _ = User.objects.get_or_create(email=DEMO_ADMIN)
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        self.stdout.write(f"""
Research API is ready, with a synthetic platform of {Video.objects.count():,} videos,
{Creator.objects.count():,} accounts, {Comment.objects.count():,} comments and
{Decision.objects.count():,} moderation decisions.

  API docs        {url}/docs/
  OpenAPI schema  {url}/v2/schema/
  Health          {url}/healthz
  Admin           {url}/admin/
                  e-mail    {DEMO_ADMIN}
                  password  {password}   (new at every start)

Stop the server with Ctrl-C; `make demo` again keeps the data.
""")
