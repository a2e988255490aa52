from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from codebook import PROJECT, RESOURCES, USAGE, render_markdown
from codebook.fields import NOT_IN_DATA
from tests.conftest import bearer


def test_docs_codebook_is_the_rendered_codebook():
    committed = (Path(__file__).parent.parent / "docs" / "codebook.md").read_text()
    assert committed == render_markdown(), "run: python manage.py codebook > docs/codebook.md"


@pytest.mark.parametrize(
    "field", [f for r in RESOURCES for f in r.fields], ids=lambda f: f.source + ":" + f.name
)
def test_every_field_comes_from_a_real_column_or_setting(field):
    if field.source == NOT_IN_DATA:  # a field of TikTok's that we answer with null
        assert field.type == "null" and "null" in field.description
        return
    if field.source.startswith("settings."):
        assert hasattr(settings, field.source.removeprefix("settings."))
        return
    app, model, column = field.source.split(".")
    assert apps.get_model(app, model)._meta.get_field(column)


def test_every_field_is_fully_described():
    for resource in RESOURCES:
        names = [f.name for f in resource.fields]
        assert len(names) == len(set(names)), resource.name
        for f in resource.fields:
            assert f.type and f.description and f.anonymisation and f.coverage


def test_codebook_command_prints_it(capsys):
    call_command("codebook")
    assert capsys.readouterr().out == render_markdown()


def test_only_data_resources_are_grantable_datasets():
    from accounts.access import DATASETS

    assert "usage" not in DATASETS  # every project sees its own usage
    assert {"video", "comment", "user", "follow", "moderation_decision", "deletion"} <= set(
        DATASETS
    )


def _paths(value, prefix="") -> set[str]:
    """A response's leaf fields as the codebook names them: `a.b`, `list[].x`, and a
    family's key as `<family>`."""
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            name = "<family>" if prefix == "families." else key
            paths |= _paths(item, f"{prefix}{name}.")
        return paths
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return set().union(*(_paths(item, prefix[:-1] + "[].") for item in value))
    return {prefix[:-1]}


@pytest.mark.parametrize(
    ("method", "path", "resource"),
    [("get", "/v2/research/usage/", USAGE), ("post", "/v2/research/project/info/", PROJECT)],
)
def test_the_project_s_own_resources_are_documented_field_by_field(script, method, path, resource):
    response = getattr(script.client, method)(path, **bearer(script.token))
    assert response.status_code == 200
    assert _paths(response.json()["data"]) == {f.name for f in resource.fields}


def test_the_codebook_names_exactly_the_routed_research_endpoints(client):
    from research.listings import EXPORTABLE, LISTINGS
    from research_api import urls

    # Routes with a parameter act on one export (its status, cancellation, files); every
    # other research route returns a resource of the codebook.
    routed = {
        "/" + str(pattern.pattern)
        for pattern in urls.urlpatterns
        if str(pattern.pattern).startswith("v2/research/") and "<" not in str(pattern.pattern)
    }
    named = {endpoint for resource in RESOURCES for endpoint in resource.endpoints}
    catalogue = client.get("/v2/research/catalogue/").json()["data"]["resources"]
    assert {e for resource in catalogue for e in resource["endpoints"]} == named
    # The catalogue is the codebook itself; every other research route returns a resource.
    assert named == routed - {"/v2/research/catalogue/"}
    for listing in LISTINGS:
        assert listing.url in listing.resource.endpoints, listing.path
    for name, listing in EXPORTABLE.items():
        assert "/v2/research/export/" in listing.resource.endpoints, name
