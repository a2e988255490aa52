import base64
import binascii
import os

from django.core.management.base import BaseCommand, CommandError

from accounts import keys
from accounts.models import Project


class Command(BaseCommand):
    help = (
        "Manage projects' pseudonym keys. rotate: a new key (every id the project holds "
        "changes). destroy: shred the key, so the project's pseudonyms can never be resolved "
        "again. reencrypt: after changing RESEARCH_API_MASTER_KEY, re-seal every key (give the "
        "name of the variable holding the old master key)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rotate", "destroy", "reencrypt"])
        parser.add_argument("project_id", nargs="?", help="for rotate and destroy")
        parser.add_argument("--old-master-key-env", help="for reencrypt: variable with the old key")
        parser.add_argument("--yes", action="store_true", help="confirm destroy")

    def handle(self, *args, action, project_id, old_master_key_env, yes, **options):
        label = f"operator (pseudonym_key {action})"
        if action == "reencrypt":
            if not old_master_key_env or old_master_key_env not in os.environ:
                raise CommandError("--old-master-key-env must name a set environment variable")
            try:
                old = base64.b64decode(os.environ[old_master_key_env], validate=True)
            except (binascii.Error, ValueError):
                raise CommandError(f"{old_master_key_env} is not base64") from None
            try:
                count = keys.reencrypt_all(old, actor_label=label)
            except keys.KeyUnavailable as error:
                raise CommandError(
                    f"{error}: is {old_master_key_env} the old master key?"
                ) from None
            self.stdout.write(f"re-encrypted {count} pseudonym keys under the current master key")
            return
        try:
            project = Project.objects.get(pk=project_id)
        except (Project.DoesNotExist, ValueError, TypeError):
            raise CommandError(f"no project with id {project_id!r}") from None
        if action == "rotate":
            row = keys.rotate(project, actor_label=label)
            self.stdout.write(
                f"project {project.id}: new pseudonym key (version {row.version}); "
                f"every id and username the project holds has changed"
            )
        else:
            if not yes:
                raise CommandError("destroying a key cannot be undone; add --yes")
            keys.destroy(project, actor_label=label)
            self.stdout.write(f"project {project.id}: pseudonym key destroyed")
