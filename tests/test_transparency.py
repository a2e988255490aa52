"""The public transparency page: a release computed ahead of time by a command, kept with its
date and privacy parameters, shown without sign-in with a table and a CSV file per chart."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from transparency.figures import figures
from transparency.models import Release

pytestmark = pytest.mark.django_db


def publish(*args) -> str:
    out = StringIO()
    call_command("publish_transparency", *args, stdout=out)
    return out.getvalue()


def test_before_anything_is_published_the_page_says_so():
    page = Client().get("/transparency/")
    assert page.status_code == 200
    assert b"No figures have been published yet" in page.content


def test_a_release_is_published_with_its_window_and_privacy_parameters(study, settings):
    said = publish("--end", "20261231", "--rho", "0.7")
    release = Release.objects.get()
    assert "published 7 figures over 2026-01-01 to 2026-12-31" in said
    assert release.rho == pytest.approx(0.7)
    assert release.parameters["min_cell"] == settings.RESEARCH_API_STATS_MIN_CELL
    assert release.parameters["rho_per_figure"] == pytest.approx(0.1)
    assert set(release.figures) == {f.name for f in figures()}
    markets = release.figures["removals_by_market"]
    assert [row[0] for row in markets["rows"]] == sorted(settings.RESEARCH_API_TRANSPARENCY_MARKETS)


def test_the_page_and_its_csv_files_need_no_sign_in(study):
    publish("--end", "20261231")
    page = Client().get("/transparency/")
    assert page.status_code == 200
    text = page.content.decode()
    for figure in figures():
        assert figure.title in text
        assert f"/transparency/{figure.name}.csv" in text
    assert "fewer than 10" in text  # the study's handful of decisions: all withheld
    release = Release.objects.get()
    response = Client().get("/transparency/views_at_removal.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "views_at_removal-20261231.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    figure = release.figures["views_at_removal"]
    assert rows[0] == figure["columns"]
    assert rows[1:] == [["" if v is None else str(v) for v in row] for row in figure["rows"]]


def test_the_newest_release_is_shown_and_older_ones_kept(study):
    publish("--end", "20260630")
    publish("--end", "20261231")
    assert Release.objects.count() == 2
    assert "31 December 2026" in Client().get("/transparency/").content.decode()


def test_an_unknown_figure_is_not_found(study):
    publish("--end", "20261231")
    assert Client().get("/transparency/nothing.csv").status_code == 404


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--end", "2026-12-31"], "is not a date"),
        (["--end", "20261340"], "is not a date"),
        (["--rho", "0"], "--rho must be above 0"),
    ],
)
def test_the_command_refuses_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        publish(*args)
    assert not Release.objects.exists()
