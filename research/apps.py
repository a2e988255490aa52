from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research API"

    def ready(self):
        from research import schema  # noqa: F401 - registers the OpenAPI extensions
