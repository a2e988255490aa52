"""factory_boy factories for catalogue and moderation rows, for tests that need rows
without going through ingestion."""

from datetime import UTC, date, datetime, timedelta

import factory

from catalog.models import Comment, Creator, Follow, Video
from moderation.models import Decision, Policy

T0 = datetime(2024, 5, 1, 12, tzinfo=UTC)


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creator

    platform_id = factory.Sequence(lambda n: 10_000 + n)
    username = factory.Sequence(lambda n: f"creator{n}")
    region_code = "DE"
    language = "de"
    created_month = date(2021, 3, 1)
    ingested_at = T0
    updated_at = T0


class VideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Video

    platform_id = factory.Sequence(lambda n: 500_000 + n)
    creator = factory.SubFactory(CreatorFactory)
    create_time = T0
    region_code = "DE"
    language = "de"
    duration = 30
    ingested_at = T0
    updated_at = T0


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    platform_id = factory.Sequence(lambda n: 900_000 + n)
    video = factory.SubFactory(VideoFactory)
    author = factory.SubFactory(CreatorFactory)
    create_time = T0 + timedelta(hours=1)
    ingested_at = T0
    updated_at = T0


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    follower = factory.SubFactory(CreatorFactory)
    followee = factory.SubFactory(CreatorFactory)
    created_at = T0
    ingested_at = T0


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    platform_id = factory.Sequence(lambda n: 1 + n)
    target_type = "video"
    video = factory.SubFactory(VideoFactory)
    creator = factory.SelfAttribute("video.creator")
    decision_visibility = "CONTENT_REMOVED"
    decision_ground = "INCOMPATIBLE_CONTENT"
    category = "RISK_FOR_PUBLIC_SECURITY"
    category_keywords = ["TERRORIST_CONTENT"]
    policy = factory.LazyFunction(lambda: Policy.objects.get(code="violent_hateful_orgs"))
    source_type = "SOURCE_VOLUNTARY"
    detection_method = "HASH_MATCH"
    automated_detection = True
    automated_decision = "FULLY"
    content_language = "de"
    market = "DE"
    content_created_at = T0
    first_detected_at = T0 + timedelta(seconds=5)
    actioned_at = T0 + timedelta(seconds=6)
    ingested_at = T0
    updated_at = T0
