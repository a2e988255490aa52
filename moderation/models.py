"""Moderation decisions, one record per decision, shaped like a DSA statement of reasons.

Who reported the content and which moderator decided are never stored in this service.
Appeal and reinstatement are part of the decision record: they are facts about the decision,
and keeping them in the row lets statistics over millions of decisions scan one table.
"""

from django.db import models
from django.db.models import F, Q

from catalog.models import Comment, Creator, Video
from moderation import rollups
from moderation.taxonomy import (
    AUTOMATED_DETECTION_METHODS,
    AppealOutcome,
    AutomatedDecision,
    Category,
    DecisionAccount,
    DecisionGround,
    DecisionVisibility,
    DetectionMethod,
    SourceType,
    TargetType,
)


class Policy(models.Model):
    """A rule of the platform's community guidelines: a policy, or a sub-policy of one."""

    id = models.BigAutoField(primary_key=True)
    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="sub_policies"
    )
    dsa_category = models.CharField(max_length=64, choices=Category)
    dsa_keyword = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name_plural = "policies"
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="policy_not_own_parent")
        ]

    def __str__(self):
        return self.name


class Decision(models.Model):
    id = models.BigAutoField(primary_key=True)
    platform_id = models.BigIntegerField(unique=True)
    target_type = models.CharField(max_length=8, choices=TargetType)
    video = models.ForeignKey(
        Video,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decisions",
        db_index=False,
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="decisions",
        db_index=False,
    )
    # The account whose content (or which account itself) was actioned.
    creator = models.ForeignKey(
        Creator, on_delete=models.CASCADE, related_name="decisions", db_index=False
    )

    decision_visibility = models.CharField(max_length=40, choices=DecisionVisibility, blank=True)
    decision_account = models.CharField(max_length=16, choices=DecisionAccount, blank=True)
    decision_ground = models.CharField(max_length=24, choices=DecisionGround)
    category = models.CharField(max_length=64, choices=Category)
    category_keywords = models.JSONField(default=list, blank=True)
    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="decisions", db_index=False
    )
    sub_policy = models.ForeignKey(
        Policy, null=True, blank=True, on_delete=models.PROTECT, related_name="sub_decisions"
    )
    source_type = models.CharField(max_length=32, choices=SourceType)
    detection_method = models.CharField(max_length=16, choices=DetectionMethod)
    automated_detection = models.BooleanField()
    automated_decision = models.CharField(max_length=16, choices=AutomatedDecision)
    content_language = models.CharField(max_length=3)
    market = models.CharField(max_length=2)
    territorial_scope = models.JSONField(default=list, blank=True)

    content_created_at = models.DateTimeField()
    first_detected_at = models.DateTimeField()
    first_reported_at = models.DateTimeField(null=True, blank=True)  # null: never reported
    actioned_at = models.DateTimeField()
    views_at_action = models.BigIntegerField(default=0)

    appeal_filed_at = models.DateTimeField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=8, choices=AppealOutcome, blank=True)
    appeal_decided_at = models.DateTimeField(null=True, blank=True)
    reinstated_at = models.DateTimeField(null=True, blank=True)

    ingested_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # The decision's place among its account's decisions actioned in the same UTC month, in
    # the order they reached this service (1, 2, ...): private statistics count only the
    # first few of each account's month. Set by the database (moderation.rollups), never
    # changed while the month and the account stay the same.
    account_month_seq = models.PositiveIntegerField(db_default=0, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target_type=TargetType.VIDEO, video__isnull=False, comment__isnull=True)
                    | Q(target_type=TargetType.COMMENT, comment__isnull=False, video__isnull=True)
                    | Q(target_type=TargetType.ACCOUNT, video__isnull=True, comment__isnull=True)
                ),
                name="decision_target_matches_type",
            ),
            models.CheckConstraint(
                condition=~Q(decision_visibility="", decision_account=""),
                name="decision_has_a_restriction",
            ),
            models.CheckConstraint(
                condition=Q(
                    automated_detection=True, detection_method__in=AUTOMATED_DETECTION_METHODS
                )
                | Q(automated_detection=False)
                & ~Q(detection_method__in=AUTOMATED_DETECTION_METHODS),
                name="decision_automated_detection_matches_method",
            ),
            models.CheckConstraint(
                condition=Q(content_created_at__lte=F("first_detected_at"))
                & Q(first_detected_at__lte=F("actioned_at")),
                name="decision_timeline_in_order",
            ),
            models.CheckConstraint(
                condition=Q(views_at_action__gte=0), name="decision_views_at_action_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(appeal_filed_at__isnull=True)
                | Q(appeal_filed_at__gte=F("actioned_at")),
                name="decision_appeal_after_action",
            ),
            models.CheckConstraint(
                condition=(Q(appeal_outcome="") & Q(appeal_decided_at__isnull=True))
                | (
                    ~Q(appeal_outcome="")
                    & Q(appeal_decided_at__isnull=False)
                    & Q(appeal_filed_at__isnull=False)
                    & Q(appeal_decided_at__gte=F("appeal_filed_at"))
                ),
                name="decision_appeal_outcome_needs_dates",
            ),
            models.CheckConstraint(
                condition=Q(reinstated_at__isnull=True) | Q(reinstated_at__gte=F("actioned_at")),
                name="decision_reinstated_after_action",
            ),
        ]
        indexes = [
            models.Index(fields=["actioned_at"], name="decision_actioned_idx"),
            models.Index(fields=["policy", "actioned_at"], name="decision_policy_idx"),
            models.Index(fields=["category", "actioned_at"], name="decision_category_idx"),
            models.Index(fields=["market", "actioned_at"], name="decision_market_idx"),
            models.Index(fields=["video"], name="decision_video_idx"),
            models.Index(fields=["comment"], name="decision_comment_idx"),
            models.Index(fields=["creator"], name="decision_creator_idx"),
        ]

    def __str__(self):
        return f"decision {self.id}"

    @property
    def is_proactive(self) -> bool:
        """Actioned before any user report (or never reported)."""
        return self.first_reported_at is None or self.actioned_at < self.first_reported_at


class RollupCounts(models.Model):
    """The counts of one roll-up row (moderation.rollups.counts): how many of the day's (or
    month's) decisions with these dimensions meet each condition, views_N by view bucket and
    hours_N by hours from report to action (codebook.statistics). Written by the database's
    triggers only; integer, since no day or month holds 2 billion decisions."""

    day = models.DateField()
    n_decisions = models.IntegerField()
    n_removals = models.IntegerField()
    n_proactive = models.IntegerField()
    n_before_views = models.IntegerField()
    n_within_24h = models.IntegerField()
    n_automated = models.IntegerField()
    n_appealed = models.IntegerField()
    n_appeals_decided = models.IntegerField()
    n_reversed = models.IntegerField()
    n_reinstated = models.IntegerField()
    n_reported = models.IntegerField()
    n_views_0 = models.IntegerField()
    n_views_1 = models.IntegerField()
    n_views_2 = models.IntegerField()
    n_views_3 = models.IntegerField()
    n_views_4 = models.IntegerField()
    n_views_5 = models.IntegerField()
    n_views_6 = models.IntegerField()
    n_views_7 = models.IntegerField()
    n_hours_0 = models.IntegerField()
    n_hours_1 = models.IntegerField()
    n_hours_2 = models.IntegerField()
    n_hours_3 = models.IntegerField()
    n_hours_4 = models.IntegerField()
    n_hours_5 = models.IntegerField()
    n_hours_6 = models.IntegerField()
    n_hours_7 = models.IntegerField()
    n_hours_8 = models.IntegerField()
    n_hours_9 = models.IntegerField()
    n_hours_10 = models.IntegerField()
    n_hours_11 = models.IntegerField()
    n_hours_12 = models.IntegerField()
    n_hours_13 = models.IntegerField()
    n_hours_14 = models.IntegerField()
    n_hours_15 = models.IntegerField()
    n_hours_16 = models.IntegerField()
    n_hours_17 = models.IntegerField()
    n_hours_18 = models.IntegerField()
    n_hours_19 = models.IntegerField()
    n_hours_20 = models.IntegerField()
    n_hours_21 = models.IntegerField()
    n_hours_22 = models.IntegerField()
    n_hours_23 = models.IntegerField()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.db_table} {self.day}: {self.n_decisions} decisions"


class AccountMonth(models.Model):
    """How many decisions about one account were actioned in one UTC month: the last
    `account_month_seq` given out. Written by the database's triggers only."""

    creator_id = models.BigIntegerField()
    month = models.DateField()  # its first day
    decisions = models.PositiveIntegerField()

    class Meta:
        db_table = "moderation_account_month"
        constraints = [
            models.UniqueConstraint(fields=["creator_id", "month"], name="account_month_key")
        ]

    def __str__(self):
        return f"account {self.creator_id} in {self.month:%Y-%m}: {self.decisions} decisions"


class Private(models.Model):
    """Private roll-ups count only decisions with 1 <= account_month_seq <= MAX_SEQ, by
    that seq, so an answer can take each account's first C of a month for any C up to it."""

    seq = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True


# The roll-ups' dimensions, declared in groups each roll-up combines (moderation.rollups
# names them, in its key order).


class PolicyKey(models.Model):
    policy_id = models.BigIntegerField()
    category = models.CharField(max_length=64)

    class Meta:
        abstract = True


class FinerKey(models.Model):
    sub_policy_id = models.BigIntegerField()  # 0: no sub-policy
    target_type = models.CharField(max_length=8)

    class Meta:
        abstract = True


class DetectionKey(models.Model):
    source_type = models.CharField(max_length=32)
    detection_method = models.CharField(max_length=16)
    automated_detection = models.BooleanField()

    class Meta:
        abstract = True


class PolicyRollup(RollupCounts, PolicyKey, FinerKey):
    """The policies alone: policy, sub-policy, category and target type."""

    class Meta:
        abstract = True


class PolicyMarketRollup(RollupCounts, PolicyKey, FinerKey):
    """The policies in each market."""

    market = models.CharField(max_length=2)

    class Meta:
        abstract = True


class PolicyLanguageRollup(RollupCounts, PolicyKey, FinerKey):
    """The policies in each content language."""

    content_language = models.CharField(max_length=3)

    class Meta:
        abstract = True


class PlacementRollup(RollupCounts, PolicyKey, FinerKey):
    """Where decisions sit: policy, sub-policy, category, target type, market and language."""

    market = models.CharField(max_length=2)
    content_language = models.CharField(max_length=3)

    class Meta:
        abstract = True


class RestrictionKey(models.Model):
    decision_visibility = models.CharField(max_length=40)
    decision_account = models.CharField(max_length=16)
    decision_ground = models.CharField(max_length=24)
    automated_decision = models.CharField(max_length=16)

    class Meta:
        abstract = True


class HandlingRollup(RollupCounts, PolicyKey, FinerKey, DetectionKey, RestrictionKey):
    """How decisions were taken: policy, sub-policy, category, target type, restrictions,
    ground, source, detection and automation."""

    class Meta:
        abstract = True


class ReachRollup(RollupCounts, PolicyKey, DetectionKey):
    """Where decisions sit crossed with how they were found: policy, category, market,
    source, detection method and automated detection."""

    market = models.CharField(max_length=2)

    class Meta:
        abstract = True


class MarketHandlingRollup(RollupCounts, DetectionKey, RestrictionKey):
    """How decisions were taken in each market: restrictions, ground, source, detection and
    automation, without policies."""

    market = models.CharField(max_length=2)

    class Meta:
        abstract = True


class LanguageHandlingRollup(RollupCounts, DetectionKey, RestrictionKey):
    """How decisions were taken in each content language: restrictions, ground, source,
    detection and automation, without policies."""

    content_language = models.CharField(max_length=3)

    class Meta:
        abstract = True


_ROLLUP_BASES = {
    "policy": PolicyRollup,
    "policy_market": PolicyMarketRollup,
    "policy_language": PolicyLanguageRollup,
    "placement": PlacementRollup,
    "handling": HandlingRollup,
    "reach": ReachRollup,
    "market_handling": MarketHandlingRollup,
    "language_handling": LanguageHandlingRollup,
}


def _rollup_model(rollup: rollups.Rollup, grain: str) -> type[models.Model]:
    """The model of one roll-up table, named as in the code that reads it (PlacementByDay,
    PrivateMarketHandlingByWeek…): a day's row is keyed by its day, a week's by its Monday, a
    month's by its first day."""
    words = "".join(word.title() for word in rollup.name.split("_"))
    name = f"{'Private' if rollup.private else ''}{words}By{grain.title()}"
    table = rollup.table(grain)
    meta = type(
        "Meta",
        (),
        {
            "db_table": table,
            "constraints": [
                models.UniqueConstraint(fields=rollup.key, name=table.removeprefix("moderation_"))
            ],
        },
    )
    bases = (
        (Private, _ROLLUP_BASES[rollup.name]) if rollup.private else (_ROLLUP_BASES[rollup.name],)
    )
    return type(name, bases, {"Meta": meta, "__module__": __name__})


ROLLUP_MODELS = {
    (rollup, grain): _rollup_model(rollup, grain)
    for rollup in rollups.ROLLUPS
    for grain in rollups.GRAINS
}
globals().update({model.__name__: model for model in ROLLUP_MODELS.values()})
