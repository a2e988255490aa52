"""The anonymised platform: creators, videos, hashtags, comments, follow and engagement edges.

Primary keys are internal 64-bit ids: they never leave the server (researchers see per-project
pseudonyms of them). `platform_id` is the platform's own id, the key ingestion upserts by.
Texts are stored already scrubbed (see catalog/scrub.py); mentions are stored as references to
internal creator ids and rendered as the reader's pseudonym at the edge.
Counts are 64-bit: TikTok's 32-bit counters overflowed on viral videos.
"""

from django.db import models
from django.db.models import F, Q

from catalog import scrub


class CreatorStatus(models.TextChoices):
    ACTIVE = "active", "active"
    PRIVATE = "private", "private account"
    DELETED = "deleted", "deleted on the platform"


class VideoStatus(models.TextChoices):
    PUBLIC = "public", "public"
    PRIVATE = "private", "made private by its creator"
    REMOVED = "removed", "removed by moderation"
    DELETED = "deleted", "deleted on the platform"


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", "visible"
    REMOVED = "removed", "removed by moderation"
    DELETED = "deleted", "deleted on the platform"


class EngagementKind(models.TextChoices):
    LIKE = "like", "liked"
    REPOST = "repost", "reposted"
    PIN = "pin", "pinned to profile"


def _non_negative(model: str, *fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=f"{model}_{field}_gte_0")
        for field in fields
    ]


class Creator(models.Model):
    id = models.BigAutoField(primary_key=True)
    platform_id = models.BigIntegerField(unique=True)
    # The real handle stays internal: researchers see a per-project pseudonym of `id` instead.
    username = models.CharField(max_length=64, unique=True)
    display_name = models.CharField(max_length=128, blank=True)
    bio = models.TextField(blank=True)
    # The catalog/scrub.py version its texts were scrubbed with (`manage.py rescrub` brings
    # older ones up to date). A database default, so bulk loads that write their own column
    # lists record it too; bumping scrub.VERSION therefore needs a migration.
    scrub_version = models.PositiveSmallIntegerField(db_default=scrub.VERSION)
    region_code = models.CharField(max_length=2)
    language = models.CharField(max_length=3)
    is_verified = models.BooleanField(default=False)
    follower_count = models.BigIntegerField(default=0)
    following_count = models.BigIntegerField(default=0)
    likes_count = models.BigIntegerField(default=0)
    video_count = models.BigIntegerField(default=0)
    # Coarsened to the month: an exact sign-up time helps re-identification and no study needs it.
    created_month = models.DateField()
    status = models.CharField(max_length=16, choices=CreatorStatus, default=CreatorStatus.ACTIVE)
    ingested_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            *_non_negative(
                "creator", "follower_count", "following_count", "likes_count", "video_count"
            ),
            models.CheckConstraint(
                condition=Q(created_month__day=1), name="creator_created_month_is_first_day"
            ),
        ]
        indexes = [models.Index(fields=["region_code"], name="creator_region_idx")]

    def __str__(self):
        return f"creator {self.id}"


class Hashtag(models.Model):
    id = models.BigAutoField(primary_key=True)
    name = models.CharField(max_length=100, unique=True)  # lower case, without '#'

    def __str__(self):
        return f"#{self.name}"


class Video(models.Model):
    id = models.BigAutoField(primary_key=True)
    platform_id = models.BigIntegerField(unique=True)
    creator = models.ForeignKey(
        Creator, on_delete=models.PROTECT, related_name="videos", db_index=False
    )
    create_time = models.DateTimeField()
    region_code = models.CharField(max_length=2)
    language = models.CharField(max_length=3)
    description = models.TextField(blank=True)
    voice_to_text = models.TextField(blank=True)
    # The catalog/scrub.py version its texts were scrubbed with (`manage.py rescrub` brings
    # older ones up to date). A database default, so bulk loads that write their own column
    # lists record it too; bumping scrub.VERSION therefore needs a migration.
    scrub_version = models.PositiveSmallIntegerField(db_default=scrub.VERSION)
    duration = models.IntegerField(help_text="seconds")
    music_id = models.BigIntegerField(null=True, blank=True)
    playlist_id = models.BigIntegerField(null=True, blank=True)
    # Denormalised copies of the link tables below, so a page of videos reads from one table.
    hashtag_names = models.JSONField(default=list, blank=True)
    effect_ids = models.JSONField(default=list, blank=True)
    hashtags = models.ManyToManyField(Hashtag, through="VideoHashtag", related_name="videos")
    view_count = models.BigIntegerField(default=0)
    like_count = models.BigIntegerField(default=0)
    comment_count = models.BigIntegerField(default=0)
    share_count = models.BigIntegerField(default=0)
    favorites_count = models.BigIntegerField(default=0)
    is_stem_verified = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=VideoStatus, default=VideoStatus.PUBLIC)
    ingested_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            *_non_negative(
                "video",
                "duration",
                "view_count",
                "like_count",
                "comment_count",
                "share_count",
                "favorites_count",
            ),
        ]
        # Every index ends in (create_time, id): the keyset order of search results.
        indexes = [
            models.Index(fields=["create_time", "id"], name="video_time_idx"),
            models.Index(fields=["creator", "create_time", "id"], name="video_creator_time_idx"),
            models.Index(fields=["region_code", "create_time", "id"], name="video_region_time_idx"),
            models.Index(fields=["music_id", "create_time", "id"], name="video_music_time_idx"),
            models.Index(fields=["duration", "create_time", "id"], name="video_duration_time_idx"),
            models.Index(fields=["ingested_at"], name="video_ingested_idx"),
        ]

    def __str__(self):
        return f"video {self.id}"


class VideoHashtag(models.Model):
    id = models.BigAutoField(primary_key=True)
    video = models.ForeignKey(Video, on_delete=models.CASCADE, db_index=False)
    hashtag = models.ForeignKey(Hashtag, on_delete=models.PROTECT, db_index=False)
    create_time = models.DateTimeField()  # the video's, so hashtag searches scan in keyset order

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["video", "hashtag"], name="video_hashtag_unique")
        ]
        indexes = [
            models.Index(
                fields=["hashtag", "create_time", "video"], name="videohashtag_tag_time_idx"
            )
        ]

    def __str__(self):
        return f"video {self.video_id} #{self.hashtag_id}"


class VideoEffect(models.Model):
    id = models.BigAutoField(primary_key=True)
    video = models.ForeignKey(
        Video, on_delete=models.CASCADE, related_name="effects", db_index=False
    )
    effect_id = models.BigIntegerField()
    create_time = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["video", "effect_id"], name="video_effect_unique")
        ]
        indexes = [
            models.Index(fields=["effect_id", "create_time", "video"], name="videoeffect_time_idx")
        ]

    def __str__(self):
        return f"video {self.video_id} effect {self.effect_id}"


class Comment(models.Model):
    id = models.BigAutoField(primary_key=True)
    platform_id = models.BigIntegerField(unique=True)
    video = models.ForeignKey(
        Video, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        db_index=False,
    )
    # Kept so deletions and moderation can be traced; never exposed to researchers.
    author = models.ForeignKey(
        Creator, on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    text = models.TextField(blank=True)
    # The catalog/scrub.py version its texts were scrubbed with (`manage.py rescrub` brings
    # older ones up to date). A database default, so bulk loads that write their own column
    # lists record it too; bumping scrub.VERSION therefore needs a migration.
    scrub_version = models.PositiveSmallIntegerField(db_default=scrub.VERSION)
    like_count = models.BigIntegerField(default=0)
    reply_count = models.BigIntegerField(default=0)
    create_time = models.DateTimeField()
    status = models.CharField(max_length=16, choices=CommentStatus, default=CommentStatus.VISIBLE)
    ingested_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            *_non_negative("comment", "like_count", "reply_count"),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="comment_not_its_own_parent"),
        ]
        indexes = [
            models.Index(fields=["video", "create_time", "id"], name="comment_video_time_idx"),
            models.Index(fields=["parent", "create_time", "id"], name="comment_parent_time_idx"),
            models.Index(fields=["author"], name="comment_author_idx"),
        ]

    def __str__(self):
        return f"comment {self.id}"


class Follow(models.Model):
    id = models.BigAutoField(primary_key=True)
    follower = models.ForeignKey(
        Creator, on_delete=models.CASCADE, related_name="following_edges", db_index=False
    )
    followee = models.ForeignKey(
        Creator, on_delete=models.CASCADE, related_name="follower_edges", db_index=False
    )
    created_at = models.DateTimeField()  # when the follow happened on the platform
    ingested_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
            models.CheckConstraint(condition=~Q(follower=F("followee")), name="follow_not_self"),
        ]
        indexes = [
            models.Index(fields=["followee", "created_at", "id"], name="follow_followee_time_idx"),
            models.Index(fields=["follower", "created_at", "id"], name="follow_follower_time_idx"),
        ]

    def __str__(self):
        return f"creator {self.follower_id} follows {self.followee_id}"


class Engagement(models.Model):
    """A creator liked, reposted or pinned a video."""

    id = models.BigAutoField(primary_key=True)
    creator = models.ForeignKey(
        Creator, on_delete=models.CASCADE, related_name="engagements", db_index=False
    )
    video = models.ForeignKey(
        Video, on_delete=models.CASCADE, related_name="engagements", db_index=False
    )
    kind = models.CharField(max_length=8, choices=EngagementKind)
    created_at = models.DateTimeField()
    ingested_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "creator", "video"], name="engagement_unique"),
        ]
        indexes = [
            models.Index(
                fields=["creator", "kind", "created_at", "id"], name="engagement_creator_idx"
            ),
            models.Index(fields=["video"], name="engagement_video_idx"),
        ]

    def __str__(self):
        return f"creator {self.creator_id} {self.kind} video {self.video_id}"


class IngestBatch(models.Model):
    """One run of `ingest` or `seed_platform`: what came in, when, and what it changed."""

    class Source(models.TextChoices):
        INGEST = "ingest", "platform export"
        SEED = "seed", "synthetic platform"

    id = models.BigAutoField(primary_key=True)
    source = models.CharField(max_length=16, choices=Source)
    files = models.JSONField(default=list)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name_plural = "ingest batches"
        indexes = [models.Index(fields=["finished_at"], name="ingestbatch_finished_idx")]

    def __str__(self):
        return f"{self.source} batch {self.id} at {self.finished_at:%Y-%m-%d %H:%M}"
