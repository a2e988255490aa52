"""The Celery application: exports run on its workers when CELERY_BROKER_URL is set (Redis in
production). Start a worker with

    celery -A research_api worker --concurrency 2 --loglevel info

Its settings are Django's CELERY_* settings (research_api/settings.py): late acknowledgement
and rejection on a lost worker, so an export whose worker was killed is delivered again."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "research_api.settings")

app = Celery("research_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
