"""Releases of the public transparency page: each one computed ahead of time, kept with its
date and privacy parameters, never changed (a new release is a new row)."""

from django.db import models


class Release(models.Model):
    id = models.BigAutoField(primary_key=True)
    published_at = models.DateTimeField()
    start_date = models.DateField()
    end_date = models.DateField()
    rho = models.FloatField(help_text="what the whole release cost (zero-concentrated DP)")
    parameters = models.JSONField(help_text="k, contribution bounds, rho per figure, domains")
    figures = models.JSONField()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self):
        window = f"{self.start_date} to {self.end_date}"
        return f"transparency release {self.published_at:%Y-%m-%d} ({window})"
