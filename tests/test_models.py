"""The database itself refuses rows that break the data model's rules."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    T0,
    CommentFactory,
    CreatorFactory,
    DecisionFactory,
    FollowFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


def refused(factory, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


def test_valid_rows_are_accepted():
    DecisionFactory()
    CommentFactory()
    FollowFactory()


@pytest.mark.parametrize("field", ["follower_count", "likes_count", "video_count"])
def test_creator_counts_cannot_be_negative(field):
    refused(CreatorFactory, **{field: -1})


def test_creator_month_is_the_first_day():
    refused(CreatorFactory, created_month=date(2021, 3, 14))


@pytest.mark.parametrize("field", ["view_count", "share_count", "favorites_count", "duration"])
def test_video_counts_cannot_be_negative(field):
    refused(VideoFactory, **{field: -5})


def test_counts_hold_64_bit_values():
    video = VideoFactory(view_count=2**63 - 1)
    video.refresh_from_db()
    assert video.view_count == 2**63 - 1


def test_platform_ids_are_unique():
    VideoFactory(platform_id=42)
    refused(VideoFactory, platform_id=42)


def test_usernames_are_unique():
    CreatorFactory(username="same")
    refused(CreatorFactory, username="same")


def test_a_comment_is_not_its_own_parent():
    comment = CommentFactory()
    comment.parent_id = comment.id
    with pytest.raises(IntegrityError), transaction.atomic():
        comment.save()


def test_nobody_follows_themselves_or_twice():
    creator = CreatorFactory()
    refused(FollowFactory, follower=creator, followee=creator)
    other = CreatorFactory()
    FollowFactory(follower=creator, followee=other)
    refused(FollowFactory, follower=creator, followee=other)


def test_decision_target_matches_its_type():
    refused(DecisionFactory, target_type="comment")
    refused(DecisionFactory, target_type="account")


def test_decision_restricts_something():
    refused(DecisionFactory, decision_visibility="", decision_account="")


def test_automated_detection_agrees_with_the_detection_method():
    refused(DecisionFactory, detection_method="USER_REPORT", automated_detection=True)
    refused(DecisionFactory, detection_method="CLASSIFIER", automated_detection=False)


def test_decision_timeline_is_in_order():
    refused(DecisionFactory, first_detected_at=T0 - timedelta(hours=1))
    refused(DecisionFactory, actioned_at=T0)


def test_appeal_outcome_needs_its_dates_in_order():
    refused(DecisionFactory, appeal_outcome="UPHELD")
    refused(
        DecisionFactory,
        appeal_filed_at=T0 + timedelta(days=2),
        appeal_outcome="REVERSED",
        appeal_decided_at=T0 + timedelta(days=1),
    )
    refused(DecisionFactory, appeal_filed_at=T0)  # before the action
    DecisionFactory(
        appeal_filed_at=T0 + timedelta(days=1),
        appeal_outcome="REVERSED",
        appeal_decided_at=T0 + timedelta(days=2),
        reinstated_at=T0 + timedelta(days=2),
    )


def test_a_decision_is_proactive_when_actioned_before_any_report():
    assert DecisionFactory().is_proactive
    reported = DecisionFactory(first_reported_at=T0 + timedelta(seconds=1))
    assert not reported.is_proactive
