from django.conf import settings
from django.core.management.base import BaseCommand

from exports import services
from exports.models import ACTIVE, Export


class Command(BaseCommand):
    help = (
        "Finish every queued or running export: after a server restart in the embedded mode "
        "(no Celery broker), where exports run in the server process, this runs them here, "
        "one after another. With Celery, it hands them to the workers again."
    )

    def handle(self, *args, **options):
        ids = list(Export.objects.filter(status__in=ACTIVE).values_list("id", flat=True))
        for export_id in ids:
            if settings.CELERY_BROKER_URL:
                services.enqueue(export_id)
            else:
                services.run(export_id)
        self.stdout.write(f"resumed {len(ids)} exports")
