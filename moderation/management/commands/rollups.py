"""Check the statistics roll-ups against a full recount of the decisions, or rebuild them.

The database keeps them up to date on every write (moderation.rollups); this is for an
operator who restored a backup table by table, or wants the proof."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from moderation import rollups


class Command(BaseCommand):
    help = (
        "Check the moderation statistics roll-ups against a recount of the decisions "
        "(exit 1 if any row differs), or --rebuild them (and their triggers) from scratch."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="recreate the triggers and recount every row"
        )

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            with transaction.atomic():
                rollups.install(connection)
            self.stdout.write("rebuilt: " + ", ".join(rollups.TABLES))
        found = rollups.differences(connection)
        for name, count in found.items():
            state = {0: "in step", 1: "1 row differs"}.get(count, f"{count} rows differ")
            self.stdout.write(f"{name}: {state}")
        if any(found.values()):
            raise CommandError("the roll-ups differ from the decisions: run with --rebuild")
