import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.services import Checkpoint, checkpoint, verify


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain; report the first broken link and exit non-zero. "
        "With --checkpoint FILE, also check that the chain still holds the entry a checkpoint "
        "written earlier names (a chain cut back to an earlier end passes without it). With "
        "--write-checkpoint FILE, write the chain's end, once it verifies, for a later run: "
        "keep that file away from the database (another machine, a ticket, a signed mail)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", type=Path, metavar="FILE")
        parser.add_argument("--write-checkpoint", type=Path, metavar="FILE")

    def handle(self, *args, **options):
        since = _read(options["checkpoint"]) if options["checkpoint"] else None
        end = checkpoint()  # taken before the walk, so the walk covers it
        checked, problem = verify(since)
        if problem:
            raise CommandError(f"audit log broken after {checked} good entries: {problem}")
        against = f", and it holds checkpoint entry {since.entry}" if since else ""
        self.stdout.write(f"audit log intact: {checked} entries, chain verified{against}")
        if options["write_checkpoint"]:
            if end is None:
                raise CommandError("the audit log is empty: there is no end to write down")
            options["write_checkpoint"].write_text(json.dumps(end.as_json()) + "\n")
            self.stdout.write(
                f"checkpoint written to {options['write_checkpoint']}: entry {end.entry}"
            )


def _read(path: Path) -> Checkpoint:
    try:
        return Checkpoint.from_json(json.loads(path.read_text()))
    except OSError as error:
        raise CommandError(f"cannot read the checkpoint {path}: {error.strerror}") from None
    except ValueError as error:
        raise CommandError(f"{path} is not a checkpoint: {error}") from None
