from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and projects"

    def ready(self):
        from accounts import signins  # noqa: F401 - connects the sign-in audit receivers
