"""The project's wiring: settings, URLs, WSGI, the Celery application."""

from research_api.celery import app as celery_app

__all__ = ["celery_app"]
