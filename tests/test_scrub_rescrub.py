"""`manage.py rescrub` on a database holding texts scrubbed by version 1 of the scrubber.

The stored texts below are what version 1 (before issue 12) wrote for real inputs: it missed
capitalised links, spelled-out e-mails, glued phone numbers and slash-separated area codes,
and it had already destroyed some look-alikes ("[PHONE]:30"), which no re-scrub can undo.
"""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from catalog import mentions, scrub
from catalog.management.commands.rescrub import fit
from catalog.models import Comment, Creator, Video
from tests.factories import CommentFactory, CreatorFactory, VideoFactory

pytestmark = pytest.mark.django_db

OLD = 1
KNOWN = mentions.reference(5)  # a mention version 1 resolved; the id is not rewritten


def rescrub(*args):
    out = StringIO()
    call_command("rescrub", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_texts():
    dj = CreatorFactory(username="dj.kilo", region_code="ID")
    creator = CreatorFactory(
        region_code="ID",
        display_name="Toko Kue",
        bio=f"thanks {KNOWN}, shop Shopee.co.id/tokoku",
        scrub_version=OLD,
    )
    video = VideoFactory(
        creator=creator,
        region_code="DE",  # the comments' numbers default to Germany
        description="presets at Bit.ly/4Qw9zZ and Www.shop-example.com, sorteo [PHONE]:30",
        voice_to_text="mail jane dot doe at gmail dot com",
        scrub_version=OLD,
    )
    cn_video = VideoFactory(
        creator=creator,
        region_code="CN",
        description="合作请联系13800138000谢谢",
        scrub_version=OLD,
    )
    comments = [
        CommentFactory(video=video, author=creator, text=text, scrub_version=OLD)
        for text in (
            "yo@dj.kilo 🔥 see you @ 5pm (@_@)",
            "Bestellungen 030 / 555 12 34 bitte",
            "1.250.000 views, 12.05.2024 18:30",
        )
    ]
    # Written by the current version: "Bit.ly/x" was scrubbed at ingestion.
    current = VideoFactory(creator=creator, description=scrub.scrub("ok Bit.ly/x", None, "DE"))
    return {
        "dj": dj,
        "creator": creator,
        "video": video,
        "cn_video": cn_video,
        "comments": comments,
        "current": current,
    }


def _search(word: str) -> set[int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM catalog_video WHERE search_vector @@ to_tsquery('simple', %s)",
                [word],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM catalog_video_fts WHERE catalog_video_fts MATCH %s", [word]
            )
        return {row[0] for row in cursor.fetchall()}


def test_new_rows_record_the_current_version():
    assert scrub.VERSION > OLD
    assert VideoFactory().scrub_version == scrub.VERSION
    video = VideoFactory()
    video.refresh_from_db()
    assert video.scrub_version == scrub.VERSION


def test_rescrub_catches_what_version_1_missed_and_reports_it(old_texts):
    assert _search("jane") == {old_texts["video"].id}
    output = rescrub("--batch-size", "2")

    video = Video.objects.get(id=old_texts["video"].id)
    assert video.description == "presets at [URL] and [URL], sorteo [PHONE]:30"
    assert video.voice_to_text == "mail [EMAIL]"
    assert video.scrub_version == scrub.VERSION
    assert video.updated_at > old_texts["video"].updated_at
    assert Video.objects.get(id=old_texts["cn_video"].id).description == "合作请联系[PHONE]谢谢"
    creator = Creator.objects.get(id=old_texts["creator"].id)
    assert creator.bio == f"thanks {KNOWN}, shop [URL]"  # the reference survives
    texts = [Comment.objects.get(id=c.id).text for c in old_texts["comments"]]
    dj = mentions.reference(old_texts["dj"].id)
    assert texts == [
        f"yo{dj} 🔥 see you @ 5pm (@_@)",  # now resolved to the account
        "Bestellungen [PHONE] bitte",
        "1.250.000 views, 12.05.2024 18:30",  # unchanged, and no longer at risk
    ]
    # Rows already at the current version are not touched.
    current = Video.objects.get(id=old_texts["current"].id)
    assert current.description == "ok [URL]"

    # The full-text index follows the texts.
    assert _search("jane") == set()
    assert _search("presets") == {video.id}

    assert f"re-scrubbing with scrubber version {scrub.VERSION}" in output
    assert (
        f"video    2 rows below version {scrub.VERSION}, changed 2 (3 texts): "
        "+1 email, +2 url, +1 phone" in output
    )
    assert f"creator  1 rows below version {scrub.VERSION}, changed 1 (1 texts): +1 url" in output
    assert (
        f"comment  3 rows below version {scrub.VERSION}, changed 2 (2 texts): +1 phone, +1 mention"
        in output
    )


def test_rescrub_is_idempotent_and_resumable(old_texts):
    rescrub("--table", "comment", "--batch-size", "1")
    assert not Comment.objects.filter(scrub_version__lt=scrub.VERSION).exists()
    assert Video.objects.filter(scrub_version__lt=scrub.VERSION).count() == 2
    first = {v.id: (v.description, v.voice_to_text) for v in Video.objects.all()}

    output = rescrub()  # picks up the tables not done yet
    assert f"comment  0 rows below version {scrub.VERSION}, changed 0 (0 texts)" in output
    assert f"video    2 rows below version {scrub.VERSION}, changed 2" in output
    snapshot = {v.id: (v.description, v.voice_to_text, v.updated_at) for v in Video.objects.all()}
    assert first.keys() == snapshot.keys()

    # Run again, even forcing every row back to the old version: nothing changes.
    assert "changed 0" in rescrub()
    Video.objects.update(scrub_version=OLD)
    output = rescrub("--table", "video")
    assert f"video    3 rows below version {scrub.VERSION}, changed 0 (0 texts)" in output
    assert {
        v.id: (v.description, v.voice_to_text, v.updated_at) for v in Video.objects.all()
    } == snapshot


def test_dry_run_reports_without_writing(old_texts):
    output = rescrub("--dry-run", "--table", "video", "--batch-size", "1")
    assert f"video    2 rows below version {scrub.VERSION}, would change 2 (3 texts)" in output
    video = Video.objects.get(id=old_texts["video"].id)
    assert video.description.startswith("presets at Bit.ly/4Qw9zZ")
    assert video.scrub_version == OLD


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--batch-size", "0"], "--batch-size must be at least 1"),
        (["--batch-size", "-5"], "--batch-size must be at least 1"),
    ],
)
def test_bad_arguments_are_command_errors(args, message):
    with pytest.raises(CommandError, match=message):
        rescrub(*args)


def test_bad_arguments_exit_non_zero_on_the_command_line(tmp_path):
    for args in (["--table", "videos"], ["--batch-size", "many"], ["--batch-size", "0"]):
        result = subprocess.run(
            [sys.executable, "manage.py", "rescrub", *args],
            capture_output=True,
            text=True,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "research_api.settings_test",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            },
            check=False,
        )
        assert result.returncode != 0, args
        assert "error" in result.stderr.lower(), result.stderr


def test_rows_from_a_newer_scrubber_stop_the_command(old_texts):
    Video.objects.filter(id=old_texts["video"].id).update(scrub_version=scrub.VERSION + 1)
    with pytest.raises(
        CommandError, match=f"newer version than this code's {scrub.VERSION}: 1 in video"
    ):
        rescrub()


def test_a_text_that_grows_past_its_column_is_cut_without_half_a_placeholder():
    name = "x" * 120 + " @ab @cd"  # 128 characters, the column's limit
    creator = CreatorFactory(display_name=name, scrub_version=OLD)
    rescrub("--table", "creator")
    creator.refresh_from_db()
    # "x…x [MENTION] [MENTION]" is 140 characters; cut at 128 it would end in "[MENTI".
    assert creator.display_name == "x" * 120 + " "
    assert fit("ab [MENTION]", 6) == "ab "
    assert fit("ab " + mentions.reference(12345), 6) == "ab "
    assert fit("abc", None) == "abc"


def test_a_version_bump_comes_with_a_migration():
    # New rows take the version from the column's database default: bumping scrub.VERSION
    # changes the models, and this fails until a migration moves the default along.
    for model in (Creator, Video, Comment):
        assert model._meta.get_field("scrub_version").db_default == scrub.VERSION
    call_command("makemigrations", "catalog", "--check", "--dry-run", stdout=StringIO())
