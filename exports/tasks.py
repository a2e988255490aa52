"""The export job on Celery: a thin task that runs the service. Late acknowledgement and
rejection on a lost worker (settings) deliver it again if its worker dies; the service's
claim makes running it again safe."""

import uuid

from celery import shared_task

from exports import services


@shared_task(name="exports.run", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_export(export_id: str):
    services.run(uuid.UUID(export_id))
