import statistics

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class _Median:
    """SQLite's stats_median(x): the median of the non-null values, as PostgreSQL's
    percentile_cont(0.5) computes it (the mean of the two middle values)."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def _sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("stats_median", 1, _Median)


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research API"

    def ready(self):
        from research import schema  # noqa: F401 - registers the OpenAPI extensions

        connection_created.connect(_sqlite_functions, dispatch_uid="research_sqlite_functions")
