from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _rollups(sender, using, verbosity=1, stdout=None, **kwargs):
    """After every migrate (and flush): the statistics roll-ups' triggers, installed and
    the roll-ups rebuilt if they are missing or out of date (moderation.rollups.ensure)."""
    from moderation import rollups

    rollups.ensure(connections[using], out=stdout if verbosity else None)


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation decisions"

    def ready(self):
        post_migrate.connect(_rollups, sender=self, dispatch_uid="moderation_rollups")
