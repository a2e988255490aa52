from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from research.codebook import RESOURCES, render_markdown


def test_docs_codebook_is_the_rendered_codebook():
    committed = (Path(__file__).parent.parent / "docs" / "codebook.md").read_text()
    assert committed == render_markdown(), "run: python manage.py codebook > docs/codebook.md"


@pytest.mark.parametrize(
    "field", [f for r in RESOURCES for f in r.fields], ids=lambda f: f.source + ":" + f.name
)
def test_every_field_comes_from_a_real_column(field):
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
