from django.core.management.base import BaseCommand

from codebook import render_markdown


class Command(BaseCommand):
    help = "Print the codebook as Markdown (docs/codebook.md is this output)."

    def handle(self, *args, **options):
        self.stdout.write(render_markdown(), ending="")
