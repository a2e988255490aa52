import hashlib
import statistics
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q

from catalog import mentions
from catalog.models import Comment, Creator, Engagement, Follow, IngestBatch, Video
from compliance.models import Tombstone
from ingestion.synthetic.loader import CATALOGUE_TABLES, wipe_catalogue
from moderation.models import Decision

pytestmark = pytest.mark.django_db


def seed(videos, seed=1, reset=False):
    out = StringIO()
    call_command(
        "seed_platform",
        videos=videos,
        seed=seed,
        reset=reset,
        no_progress=True,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def fingerprint() -> str:
    """A digest of every row the platform loaded (the batch log aside: it records when)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in CATALOGUE_TABLES:
            if table == "catalog_ingestbatch":
                continue
            if table == "moderation_account_month":  # numbered by the database: by its key
                query = f"SELECT creator_id, month, decisions FROM {table} ORDER BY 1, 2"  # noqa: S608
            else:
                query = f"SELECT * FROM {table} ORDER BY id"  # noqa: S608
            cursor.execute(query)
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
    return digest.hexdigest()


def test_same_seed_gives_the_same_platform_and_another_seed_another():
    seed(1_000, seed=7)
    first = fingerprint()
    seed(1_000, seed=7, reset=True)
    assert fingerprint() == first
    seed(1_000, seed=8, reset=True)
    assert fingerprint() != first


def test_seeding_a_catalogue_that_holds_data_needs_reset():
    seed(200)
    with pytest.raises(CommandError, match="already holds data; use --reset"):
        seed(200)


def test_too_small_a_platform_is_refused():
    with pytest.raises(CommandError, match="at least 100"):
        seed(10)


@pytest.fixture(scope="module")
def platform(django_db_setup, django_db_blocker):
    """One 10,000-video platform shared by the read-only tests below."""
    with django_db_blocker.unblock():
        seed(10_000, seed=3, reset=True)
        yield
        with transaction.atomic():
            wipe_catalogue()


@pytest.mark.usefixtures("platform")
class TestGeneratedPlatform:
    def test_removal_rates_match_what_platforms_report(self):
        removals = Decision.objects.filter(
            target_type="video", decision_visibility="CONTENT_REMOVED"
        )
        total = removals.count()
        assert total >= 300
        proactive = removals.filter(
            Q(first_reported_at__isnull=True) | Q(first_reported_at__gt=F("actioned_at"))
        ).count()
        before_views = removals.filter(views_at_action=0).count()
        times = removals.values_list("content_created_at", "actioned_at")
        within_24h = sum(
            (actioned - created).total_seconds() <= 86_400 for created, actioned in times
        )
        assert abs(proactive / total - 0.964) <= 0.01
        assert abs(before_views / total - 0.903) <= 0.01
        assert abs(within_24h / total - 0.94) <= 0.01

    def test_appeals_include_reversals_and_reinstatements(self):
        decided = Decision.objects.exclude(appeal_outcome="")
        reversed_ = decided.filter(appeal_outcome="REVERSED")
        assert decided.count() >= 10
        assert 0.1 <= reversed_.count() / decided.count() <= 0.5
        assert reversed_.filter(reinstated_at__isnull=False).count() == reversed_.count()

    def test_decisions_cover_many_policies_categories_and_sources(self):
        assert Decision.objects.values("policy").distinct().count() >= 10
        assert Decision.objects.values("category").distinct().count() >= 8
        assert Decision.objects.values("source_type").distinct().count() == 4
        assert Decision.objects.values("detection_method").distinct().count() == 5
        assert Decision.objects.filter(target_type="comment").exists()
        assert Decision.objects.filter(target_type="account").exists()

    def test_removed_video_status_agrees_with_decisions(self):
        removed = Video.objects.filter(status="removed")
        assert removed.exists()
        assert not removed.exclude(decisions__decision_visibility="CONTENT_REMOVED").exists()
        zero_view_removals = Video.objects.filter(
            decisions__decision_visibility="CONTENT_REMOVED",
            decisions__views_at_action=0,
            decisions__reinstated_at__isnull=True,
        )
        assert not zero_view_removals.exclude(view_count=0, like_count=0, comment_count=0).exists()

    def test_extremist_cluster_follows_itself_and_is_only_partly_removed(self):
        terror = Decision.objects.filter(sub_policy__code="violent_extremism")
        cluster = set(terror.values_list("creator_id", flat=True))
        assert len(cluster) >= 8
        inside = Follow.objects.filter(follower_id__in=cluster, followee_id__in=cluster).count()
        density = inside / (len(cluster) * (len(cluster) - 1))
        overall = Follow.objects.count() / Creator.objects.count() ** 2
        assert density > 0.2 and density > 10 * overall
        cluster_videos = Video.objects.filter(creator_id__in=cluster)
        removed = cluster_videos.filter(status="removed").count() / cluster_videos.count()
        assert 0.15 < removed < 0.7

    def test_popularity_is_heavy_tailed(self):
        followers = sorted(Creator.objects.values_list("follower_count", flat=True))
        views = sorted(Video.objects.filter(status="public").values_list("view_count", flat=True))
        assert followers[-1] > 20 * max(statistics.median(followers), 1)
        assert views[-1] > 1_000 * statistics.median(views)
        assert views[-1] > 2**31  # counters past 32 bits

    def test_many_regions_and_languages(self):
        assert Video.objects.values("region_code").distinct().count() >= 30
        assert Creator.objects.values("language").distinct().count() >= 15

    def test_counters_agree_with_rows(self):
        counted = Video.objects.annotate(rows=Count("comments")).exclude(comment_count=F("rows"))
        assert not counted.exists()
        followers = Creator.objects.annotate(rows=Count("follower_edges", distinct=True))
        assert not followers.exclude(follower_count=F("rows")).exists()

    def test_comments_have_replies_on_the_same_video_after_their_parent(self):
        replies = Comment.objects.filter(parent__isnull=False)
        assert replies.count() > 0.1 * Comment.objects.count()
        assert not replies.exclude(video_id=F("parent__video_id")).exists()
        assert not replies.filter(create_time__lt=F("parent__create_time")).exists()
        assert not Comment.objects.filter(create_time__lt=F("video__create_time")).exists()

    def test_texts_are_scrubbed_and_mentions_are_references(self):
        descriptions = list(Video.objects.values_list("description", flat=True))
        assert not any("@" in text for text in descriptions)
        assert any("[URL]" in text for text in descriptions)
        assert any(mentions.referenced_ids(text) for text in descriptions)
        bios = list(Creator.objects.values_list("bio", flat=True))
        assert any("[EMAIL]" in bio or "[PHONE]" in bio for bio in bios)
        comments = Comment.objects.values_list("text", flat=True)
        assert not any("@" in text for text in comments)

    def test_deleted_items_are_erased_and_tombstoned(self):
        deleted = Video.objects.filter(status="deleted")
        assert deleted.exists()
        assert not deleted.exclude(description="", voice_to_text="").exists()
        tombstoned = set(
            Tombstone.objects.filter(entity="video").values_list("object_id", flat=True)
        )
        assert set(deleted.values_list("id", flat=True)) == tombstoned
        assert not Tombstone.objects.filter(deleted_at__gt=F("recorded_at")).exists()
        created = dict(deleted.values_list("id", "create_time"))
        for video_id, deleted_at in Tombstone.objects.filter(entity="video").values_list(
            "object_id", "deleted_at"
        ):
            assert deleted_at > created[video_id]
        gone = Creator.objects.filter(status="deleted")
        assert not Follow.objects.filter(Q(follower__in=gone) | Q(followee__in=gone)).exists()

    def test_engagements_of_every_kind(self):
        kinds = set(Engagement.objects.values_list("kind", flat=True))
        assert kinds == {"like", "repost", "pin"}
        pins = Engagement.objects.filter(kind="pin")
        assert not pins.exclude(video__creator_id=F("creator_id")).exists()

    def test_the_load_is_logged_as_a_batch(self):
        batch = IngestBatch.objects.get()
        assert batch.source == "seed"
        assert batch.counts["catalog_video"] == {"created": 10_000}
