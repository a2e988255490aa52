"""A deterministic synthetic platform: same size and seed, same data, on any database.

All numbers are drawn up front as numpy arrays (cheap even at millions of rows); texts are
drawn chunk by chunk while loading. Every part draws from its own random stream, so what
one table contains does not depend on how another was consumed.

Shape, by design:
- heavy-tailed popularity, views and followers; 40 regions, 20 languages; Zipf words and
  hashtags with a long tail of rare words;
- comments with replies, a preferential-attachment follow graph, likes, reposts and pins;
- a small cluster of accounts that follow each other densely and post violent-extremist
  and hateful content with extremism-related keywords and hashtags, of which only part is
  removed; some other videos mention those keywords too (news, counter-speech). Part of the
  cluster speaks only in code (emoji, slang, hashtags of its own): keywords miss it, the
  follow graph finds it, and moderation catches less of it. Known terrorist imagery is
  mostly caught by hash matching (docs/synthetic.md);
- moderation decisions across all policies; removals calibrated to what platforms report:
  96.4% before any user report, 90.3% before any views, 94% within 24 hours (exactly, by
  allocation, not by chance); appeals, about 30% of decided ones reversed and reinstated;
- personal data inside texts, for the scrubber; some private and deleted videos and accounts.

Counts agree with the rows: comment_count is the number of comments generated, follower and
following counts are the edges, a video removed before any views has no views or likes.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from ingestion.synthetic import vocabulary as vocab
from ingestion.synthetic.texts import TextMaker, zipf_ranks
from moderation.taxonomy import DEFAULT_POLICIES

END = int(datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC).timestamp())
START = END - 730 * 86_400  # two years of videos
ACCOUNTS_FROM = int(datetime(2019, 1, 1, tzinfo=UTC).timestamp())
SNAPSHOT = END + 3_600  # when the platform's export was taken: the rows' ingested_at
HOUR, DAY = 3_600, 86_400
CHUNK = 20_000

CODED_SHARE = 0.4  # of the extremist cluster, accounts that speak only in code
PROACTIVE_RATE = 0.964  # removals made before any user report
BEFORE_VIEWS_RATE = 0.903  # removals made before the video had any views
WITHIN_24H_RATE = 0.94  # removals within 24 hours of posting

_POLICY_CODES = [p[0] for p in DEFAULT_POLICIES]
_POLICY = {p[0]: p for p in DEFAULT_POLICIES}
# Share of video decisions by policy, roughly as in platforms' transparency reports.
_VIDEO_POLICY_WEIGHTS = {
    "youth_safety": 30,
    "sensitive_themes": 18,
    "regulated_goods": 10,
    "violent_behavior": 8,
    "harassment": 7,
    "scams": 6,
    "spam_fake_engagement": 6,
    "integrity": 4,
    "self_harm": 4,
    "hate_speech": 3,
    "privacy": 2,
    "violent_hateful_orgs": 1,
    "intellectual_property": 1,
}
_COMMENT_POLICY_WEIGHTS = {
    "harassment": 40,
    "hate_speech": 25,
    "spam_fake_engagement": 20,
    "sensitive_themes": 10,
    "violent_behavior": 5,
}
_VISIBILITY = (
    "CONTENT_REMOVED",
    "CONTENT_DEMOTED",
    "CONTENT_AGE_RESTRICTED",
    "CONTENT_LABELLED",
    "CONTENT_INTERACTION_RESTRICTED",
    "CONTENT_DISABLED",
)
_VISIBILITY_WEIGHTS = (75, 12, 6, 4, 2, 1)
_EU = sorted(vocab.EU_MEMBERS)


@dataclass
class Table:
    """A table to load: its columns (name, kind) and a function yielding columnar chunks."""

    name: str
    columns: tuple[tuple[str, str], ...]  # kind: int, str, bool, ts, date, json
    chunks: object  # callable: context -> iterator of {column: sequence}
    count: int


def _choice(rng, n, size, weights):
    weights = np.asarray(weights, dtype=float)
    return rng.choice(n, size=size, p=weights / weights.sum())


def _platform_ids(timestamps: np.ndarray) -> np.ndarray:
    """Snowflake-style ids like the platform's own: creation second, then a sequence."""
    return (timestamps.astype(np.int64) << 32) | np.arange(len(timestamps), dtype=np.int64)


class SyntheticPlatform:
    def __init__(self, videos: int, seed: int = 1):
        if videos < 100:
            raise ValueError("a synthetic platform needs at least 100 videos")
        self.seed = seed
        self.n_videos = videos
        self.n_creators = max(60, videos // 10)
        self._creators()
        self._videos()
        self._video_decisions()
        self._comments()
        self._comment_and_account_decisions()
        self._follows()
        self._engagements()
        self._creator_counts()

    def rng(self, stream: str) -> np.random.Generator:
        return np.random.default_rng([self.seed, *stream.encode()])

    # --- structure -------------------------------------------------------------------------

    def _creators(self):
        rng, n = self.rng("creators"), self.n_creators
        region = _choice(rng, len(vocab.REGIONS), n, [w for *_, w in vocab.REGIONS])
        self.c_region = np.array([vocab.REGIONS[i][0] for i in region], dtype=object)
        self.c_language = np.array([vocab.REGIONS[i][1] for i in region], dtype=object)
        self.c_popularity = rng.pareto(1.3, n) + 1.0
        self.c_activity = rng.lognormal(0.0, 1.2, n)
        cluster_size = max(12, n * 3 // 1_000)
        self.c_cluster = np.zeros(n, dtype=bool)
        self.c_cluster[rng.choice(n, cluster_size, replace=False)] = True
        self.c_activity[self.c_cluster] *= 4
        # Part of the cluster speaks in code (emoji, numbers, in-group slang and hashtags no
        # keyword list has): a keyword study misses it, the follow graph leads to it.
        self.c_coded = self.c_cluster & (self.rng("cluster-coded").random(n) < CODED_SHARE)
        self.c_created = rng.integers(ACCOUNTS_FROM, END - 30 * DAY, n)
        status = rng.random(n)
        self.c_deleted = (status < 0.005) & ~self.c_cluster
        self.c_private = (status >= 0.005) & (status < 0.02) & ~self.c_cluster
        self.c_verified = self.c_popularity > np.quantile(self.c_popularity, 0.995)
        self.c_pid = _platform_ids(self.c_created)
        names = rng.integers(len(vocab.FIRST_NAMES), size=n)
        tails = zipf_ranks(rng, n, 2_000, 0.8)
        tail_words = vocab.long_tail(2_000)
        self.usernames = [
            f"{vocab.FIRST_NAMES[names[i]]}.{tail_words[tails[i]]}_{np.base_repr(i, 36).lower()}"
            for i in range(n)
        ]

    def _videos(self):
        rng, n = self.rng("videos"), self.n_videos
        live = ~self.c_deleted | True  # deleted accounts posted before they were deleted
        creator = _choice(rng, self.n_creators, n, self.c_activity * live)
        low = np.maximum(self.c_created[creator], START)
        # More videos recently: the platform grows.
        time = (low + (END - low) * np.sqrt(rng.random(n))).astype(np.int64)
        order = np.argsort(time, kind="stable")  # internal ids follow posting order
        self.v_creator, self.v_time = creator[order], time[order]
        self.v_cluster = self.c_cluster[self.v_creator]
        self.v_coded = self.c_coded[self.v_creator]
        own_region = rng.random(n) < 0.9
        other = _choice(rng, len(vocab.REGIONS), n, [w for *_, w in vocab.REGIONS])
        self.v_region = np.where(
            own_region,
            self.c_region[self.v_creator],
            np.array([vocab.REGIONS[i][0] for i in other], dtype=object),
        )
        self.v_language = self.c_language[self.v_creator]
        kind = _choice(rng, 4, n, [45, 40, 13, 2])
        bounds = np.array([[5, 15], [15, 61], [61, 301], [301, 1_200]])
        self.v_duration = rng.integers(bounds[kind, 0], bounds[kind, 1])
        music = rng.random(n) < 0.85
        self.v_music = np.where(
            music, 6_800_000_000_000_000_000 + zipf_ranks(rng, n, max(100, n // 20)) * 104_729, -1
        )
        self.v_effect_count = np.where(rng.random(n) < 0.25, rng.integers(1, 3, n), 0)
        self.v_effects = 100_000 + zipf_ranks(rng, int(self.v_effect_count.sum()), 2_000) * 7
        playlist = rng.random(n) < 0.05
        self.v_playlist = np.where(
            playlist, 7_100_000_000_000_000_000 + self.v_creator * 4 + rng.integers(0, 4, n), -1
        )
        self.v_stem = rng.random(n) < 0.01
        views = rng.lognormal(np.log(150), 2.3, n) * np.sqrt(self.c_popularity[self.v_creator])
        views[self.v_cluster] *= 0.3
        self.v_views = np.minimum(views, 4e9).astype(np.int64)
        self.v_views[np.argmax(self.v_views)] = 3_100_000_000  # a hit past 32-bit counters
        self.v_deleted = self.c_deleted[self.v_creator] | (rng.random(n) < 0.01)
        self.v_private = ~self.v_deleted & (rng.random(n) < 0.02)
        self.v_pid = _platform_ids(self.v_time)
        # Hashtags: Zipf over the common list and a long tail; extremist ones on the cluster.
        self.hashtags = (
            list(vocab.HASHTAGS)
            + list(vocab.EXTREMISM_HASHTAGS)
            + [w + "tok" for w in vocab.long_tail(max(200, n // 10))]
            + list(vocab.CODED_HASHTAGS)
        )
        common = len(vocab.HASHTAGS) + len(vocab.EXTREMISM_HASHTAGS)
        count = np.minimum(rng.poisson(2.2, n), 10)
        ranks = zipf_ranks(
            rng, int(count.sum()), len(self.hashtags) - len(vocab.EXTREMISM_HASHTAGS)
        )
        ranks = np.where(ranks >= len(vocab.HASHTAGS), ranks + len(vocab.EXTREMISM_HASHTAGS), ranks)
        per_video = np.split(ranks, np.cumsum(count)[:-1])
        extremist = len(vocab.HASHTAGS) + rng.integers(0, len(vocab.EXTREMISM_HASHTAGS), (n, 2))
        tagged = self.v_cluster & (rng.random(n) < 0.6)
        # The coded part of the cluster tags with its own hashtags (at the list's end).
        coded = self.rng("coded-videos")
        first_coded = len(self.hashtags) - len(vocab.CODED_HASHTAGS)
        extremist = np.where(
            self.v_coded[:, None],
            first_coded + coded.integers(0, len(vocab.CODED_HASHTAGS), (n, 2)),
            extremist,
        )
        self.v_tags = [
            list(dict.fromkeys([*tags.tolist(), *(extremist[i].tolist() if tagged[i] else [])]))
            for i, tags in enumerate(per_video)
        ]
        # Keyword use: most cluster videos, and a few others (news, debate, counter-speech);
        # never the coded part's, which uses its code words instead.
        keywords = np.where(self.v_cluster, rng.random(n) < 0.7, rng.random(n) < 0.003)
        self.v_keywords = keywords & ~self.v_coded
        self.v_code_words = self.v_coded & (coded.random(n) < 0.8)
        del common

    def _video_decisions(self):
        rng, n = self.rng("video-decisions"), self.n_videos
        # Content of the last 45 days is not decided yet: every decision lies before the export.
        eligible = ~self.v_deleted & (self.v_time <= END - 45 * DAY)
        # The coded part is caught less often: classifiers and keyword lists miss it.
        cluster_rate = np.where(self.v_coded, 0.25, 0.55)
        decided = eligible & np.where(
            self.v_cluster, rng.random(n) < cluster_rate, rng.random(n) < 0.04
        )
        index = np.flatnonzero(decided)
        k = len(index)
        cluster = self.v_cluster[index]
        normal_policy = _choice(
            rng, len(_VIDEO_POLICY_WEIGHTS), k, list(_VIDEO_POLICY_WEIGHTS.values())
        )
        normal_codes = np.array(list(_VIDEO_POLICY_WEIGHTS), dtype=object)[normal_policy]
        cluster_codes = np.where(rng.random(k) < 0.6, "violent_hateful_orgs", "hate_speech")
        policy = np.where(cluster, cluster_codes, normal_codes)
        visibility = np.array(_VISIBILITY, dtype=object)[
            _choice(rng, len(_VISIBILITY), k, _VISIBILITY_WEIGHTS)
        ]
        visibility[cluster] = np.where(
            rng.random(int(cluster.sum())) < 0.8, "CONTENT_REMOVED", "CONTENT_DEMOTED"
        )
        removal = visibility == "CONTENT_REMOVED"
        timing = _calibrated_timing(rng, self.v_time[index], removal, self.v_views[index])
        # Terrorist imagery found without a report is mostly known imagery re-uploaded: the
        # shared database of hashes catches it (the rest, classifiers; reports, the remainder).
        known = (
            cluster
            & (policy == "violent_hateful_orgs")
            & (timing["method"] != "USER_REPORT")
            & (timing["method"] != "TRUSTED_FLAGGER")
            & (timing["method"] != "AUTHORITY_ORDER")
            & (self.rng("hash-matches").random(k) < 0.6)
        )
        timing["method"] = np.where(known, "HASH_MATCH", timing["method"])
        self.video_decisions = {
            "video": index,
            "policy": policy,
            "visibility": visibility,
            "removal": removal,
            **timing,
        }
        removed = np.zeros(n, dtype=bool)
        removed[index[removal & ~timing["reinstated"]]] = True
        self.v_removed = removed
        self.v_removed_at = np.full(n, END, dtype=np.int64)
        self.v_removed_at[index[removal]] = timing["actioned"][removal]
        # What the counters say: frozen at removal; later views for reinstated videos.
        views = self.v_views.copy()
        views[index] = np.maximum(np.where(timing["reinstated"], views[index], 0), timing["views"])
        self.v_views = views
        self.v_likes = (views * rng.beta(2, 30, n)).astype(np.int64)
        self.v_shares = (self.v_likes * rng.beta(1, 20, n)).astype(np.int64)
        self.v_favorites = (self.v_likes * rng.beta(1, 8, n)).astype(np.int64)

    def _comments(self):
        rng, n = self.rng("comments"), self.n_videos
        open_ = ~self.v_deleted & (self.v_views > 0)
        weight = np.where(open_, self.v_views.astype(float) ** 0.55, 0.0)
        rate = 3.0 * n * weight / weight.sum()
        per_video = np.minimum(rng.poisson(rate), 100_000)
        self.v_comments = per_video
        m = int(per_video.sum())
        video = np.repeat(np.arange(n), per_video)
        starts = np.cumsum(per_video) - per_video
        position = np.arange(m) - np.repeat(starts, per_video)
        top = (position == 0) | (rng.random(m) >= 0.25)
        # A reply answers a random earlier top-level comment on the same video.
        cumulative = np.cumsum(top)
        has = per_video > 0
        tops_before_video = np.zeros(n, dtype=np.int64)  # in all earlier videos
        tops_before_video[has] = cumulative[starts[has]] - top[starts[has]]
        base = np.repeat(tops_before_video, per_video)
        earlier_tops = cumulative - top - base  # on the same video, before this comment
        pick = np.floor(rng.random(m) * np.maximum(earlier_tops, 1)).astype(np.int64)
        parent = np.where(top, -1, np.flatnonzero(top)[np.minimum(base + pick, cumulative[-1] - 1)])
        delay = rng.exponential(2 * DAY, m).astype(np.int64)
        time = self.v_time[video] + delay
        reply_delay = rng.exponential(6 * HOUR, m).astype(np.int64)
        time = np.where(top, time, time[np.maximum(parent, 0)] + reply_delay)
        # Nobody comments on a video after it was removed, nor after the export.
        time = np.minimum(time, self.v_removed_at[video])
        time = np.maximum(time, np.where(top, self.v_time[video], time[np.maximum(parent, 0)]))
        order = np.argsort(time, kind="stable")
        new_index = np.empty(m, dtype=np.int64)
        new_index[order] = np.arange(m)
        self.m_video, self.m_time = video[order], time[order]
        parent = parent[order]
        self.m_parent = np.where(parent >= 0, new_index[np.maximum(parent, 0)], -1)
        author_weight = self.c_activity * ~self.c_deleted
        self.m_author = _choice(rng, self.n_creators, m, author_weight)
        self.m_likes = np.floor(rng.lognormal(0.0, 1.6, m) - 1).clip(0).astype(np.int64)
        self.m_replies = np.bincount(self.m_parent[self.m_parent >= 0], minlength=m)
        self.m_pid = _platform_ids(self.m_time)
        self.m_deleted = self.c_deleted[self.m_author]

    def _comment_and_account_decisions(self):
        rng = self.rng("comment-decisions")
        m = len(self.m_video)
        decided = ~self.m_deleted & (self.m_time <= END - 45 * DAY) & (rng.random(m) < 0.01)
        index = np.flatnonzero(decided)
        k = len(index)
        policy = np.array(list(_COMMENT_POLICY_WEIGHTS), dtype=object)[
            _choice(rng, len(_COMMENT_POLICY_WEIGHTS), k, list(_COMMENT_POLICY_WEIGHTS.values()))
        ]
        removal = rng.random(k) < 0.92
        visibility = np.where(removal, "CONTENT_REMOVED", "CONTENT_INTERACTION_RESTRICTED")
        timing = _calibrated_timing(
            rng, self.m_time[index], removal, np.zeros(k, np.int64), has_views=False
        )
        self.comment_decisions = {
            "comment": index,
            "policy": policy,
            "visibility": visibility,
            "removal": removal,
            **timing,
        }
        self.m_removed = np.zeros(m, dtype=bool)
        self.m_removed[index[removal & ~timing["reinstated"]]] = True
        # Accounts: a third of the extremist cluster and a few spammers are banned.
        rng = self.rng("account-decisions")
        banned = ~self.c_deleted & np.where(
            self.c_cluster, rng.random(self.n_creators) < 0.33, rng.random(self.n_creators) < 0.001
        )
        index = np.flatnonzero(banned)
        k = len(index)
        detected = self.c_created[index] + (
            rng.random(k) * (END - 4 * DAY - self.c_created[index])
        ).astype(np.int64)
        self.account_decisions = {
            "creator": index,
            "policy": np.where(
                self.c_cluster[index], "violent_hateful_orgs", "spam_fake_engagement"
            ),
            "account": np.where(rng.random(k) < 0.6, "TERMINATED", "SUSPENDED"),
            "detected": detected,
            "actioned": detected + rng.integers(HOUR, 3 * DAY, k),
        }

    def _follows(self):
        rng, n = self.rng("follows"), self.n_creators
        live = ~self.c_deleted
        degree = np.where(live, np.minimum(rng.lognormal(np.log(12), 1.1, n), 3_000), 0)
        degree = degree.astype(np.int64)
        follower = np.repeat(np.arange(n), degree)
        followee = _choice(rng, n, len(follower), self.c_popularity * live)
        members = np.flatnonzero(self.c_cluster)
        a, b = np.meshgrid(members, members)
        dense = rng.random(a.shape) < 0.5
        follower = np.concatenate([follower, a[dense]])
        followee = np.concatenate([followee, b[dense]])
        keep = follower != followee
        pairs = np.unique(follower[keep].astype(np.int64) * n + followee[keep])
        follower, followee = pairs // n, pairs % n
        low = np.maximum(self.c_created[follower], self.c_created[followee])
        time = low + (rng.random(len(pairs)) * (END - low)).astype(np.int64)
        order = np.argsort(time, kind="stable")
        self.f_follower, self.f_followee, self.f_time = (
            follower[order],
            followee[order],
            time[order],
        )

    def _engagements(self):
        rng, n = self.rng("engagements"), self.n_videos
        public = ~self.v_deleted & ~self.v_removed & ~self.v_private
        live = (~self.c_deleted).astype(float)
        parts = []
        for kind, count, weight in (
            ("like", 2 * n, self.v_likes),
            ("repost", n // 10, self.v_shares),
        ):
            # Square root: otherwise the one viral hit takes almost every sampled like.
            weight = np.where(public, np.sqrt(weight.astype(float)), 0.0)
            video = _choice(rng, n, count, weight + 1e-12 * public)
            creator = _choice(rng, self.n_creators, count, self.c_activity * live)
            pairs = np.unique(creator.astype(np.int64) * n + video)
            parts.append((kind, pairs // n, pairs % n))
        # Pins: a fifth of creators pin up to three of their most viewed videos.
        by_creator = np.lexsort((-self.v_views, self.v_creator))
        creators_sorted = self.v_creator[by_creator]
        first = np.r_[True, creators_sorted[1:] != creators_sorted[:-1]]
        rank = np.arange(n) - np.maximum.accumulate(np.where(first, np.arange(n), 0))
        pinning = rng.random(self.n_creators) < 0.2
        pinned = by_creator[
            (rank < rng.integers(1, 4, n)) & pinning[creators_sorted] & public[by_creator]
        ]
        parts.append(("pin", self.v_creator[pinned], pinned))
        kinds, creators, videos = [], [], []
        for kind, creator, video in parts:
            kinds.append(np.full(len(video), kind, dtype=object))
            creators.append(creator)
            videos.append(video)
        self.e_kind = np.concatenate(kinds)
        self.e_creator = np.concatenate(creators)
        self.e_video = np.concatenate(videos)
        delay = rng.exponential(3 * DAY, len(self.e_video)).astype(np.int64)
        self.e_time = np.minimum(self.v_time[self.e_video] + delay, END)

    def _creator_counts(self):
        n = self.n_creators
        self.c_followers = np.bincount(self.f_followee, minlength=n)
        self.c_following = np.bincount(self.f_follower, minlength=n)
        visible = ~self.v_deleted
        self.c_videos = np.bincount(self.v_creator[visible], minlength=n)
        self.c_likes = np.bincount(self.v_creator, weights=self.v_likes, minlength=n).astype(
            np.int64
        )

    # --- texts -----------------------------------------------------------------------------

    def text_maker(self, stream: str) -> TextMaker:
        return TextMaker(self.rng(stream), self.usernames)


def _calibrated_timing(rng, created, removal, views, has_views=True):
    """Detection, report and action times, views at action, appeals and reinstatements.

    Removals are split by exact allocation into: removed before any views (automated, within
    minutes), removed proactively after some views, and removed after a user report; and
    into within 24 hours or later. Other restrictions follow the same mechanics unallocated.
    """
    k = len(created)
    group = np.where(rng.random(k) < 0.85, 1, 2)  # non-removals: mostly proactive
    within = rng.random(k) < 0.8
    removals = np.flatnonzero(removal)
    r = len(removals)
    order = rng.permutation(removals)
    n_zero = round(BEFORE_VIEWS_RATE * r)
    n_proactive = round(PROACTIVE_RATE * r)
    group[order[:n_zero]] = 0
    group[order[n_zero:n_proactive]] = 1
    group[order[n_proactive:]] = 2
    within[removals] = False
    within[order[:n_zero]] = True
    later = rng.permutation(order[n_zero:])
    within[later[: max(0, round(WITHIN_24H_RATE * r) - n_zero)]] = True
    total = np.where(
        within, rng.uniform(HOUR, 23.5 * HOUR, k), rng.uniform(DAY + HOUR, 40 * DAY, k)
    )
    total = np.where(group == 0, rng.uniform(5, 20 * 60, k), total).astype(np.int64)
    detected_after = np.where(
        group == 0,
        (total * rng.uniform(0.05, 0.6, k)).astype(np.int64),
        (total * rng.uniform(0.3, 0.95, k)).astype(np.int64),
    )
    reported = group == 2
    method = np.where(
        group == 0,
        np.where(rng.random(k) < 0.3, "HASH_MATCH", "CLASSIFIER"),
        np.where(rng.random(k) < 0.85, "CLASSIFIER", "HASH_MATCH"),
    )
    report_source = rng.random(k)
    method = np.where(
        reported,
        np.where(
            report_source < 0.75,
            "USER_REPORT",
            np.where(report_source < 0.95, "TRUSTED_FLAGGER", "AUTHORITY_ORDER"),
        ),
        method,
    )
    source = np.where(
        reported,
        np.where(
            method == "TRUSTED_FLAGGER",
            "SOURCE_TRUSTED_FLAGGER",
            np.where(
                (method == "USER_REPORT") & (rng.random(k) < 0.5),
                "SOURCE_ARTICLE_16",
                "SOURCE_TYPE_OTHER_NOTIFICATION",
            ),
        ),
        "SOURCE_VOLUNTARY",
    )
    automation = np.where(
        group == 0,
        np.where(rng.random(k) < 0.8, "FULLY", "PARTIALLY"),
        np.where(rng.random(k) < 0.5, "PARTIALLY", "NOT_AUTOMATED"),
    )
    automation = np.where(reported & (rng.random(k) < 0.7), "NOT_AUTOMATED", automation)
    if has_views:
        seen = np.where(
            reported, rng.lognormal(np.log(2_000), 1.5, k), rng.lognormal(np.log(60), 1.3, k)
        )
        views_at_action = np.where(group == 0, 0, np.maximum(seen, 1)).astype(np.int64)
    else:
        views_at_action = np.zeros(k, dtype=np.int64)
    detected = created + detected_after
    actioned = created + total
    filed = actioned + rng.integers(HOUR, 10 * DAY, k)
    appealed = removal & (rng.random(k) < 0.06) & (filed <= END)
    decided = appealed & (filed + 14 * DAY < END) & (rng.random(k) < 0.9)
    decided_at = filed + rng.integers(HOUR, 14 * DAY, k)
    reversed_ = decided & (rng.random(k) < 0.3)
    return {
        "group": group,
        "method": method,
        "source": source,
        "automation": automation,
        "created": created,
        "detected": detected,
        "actioned": actioned,
        "reported": np.where(reported, detected, -1),
        "views": views_at_action,
        "appealed": appealed,
        "filed": np.where(appealed, filed, -1),
        "outcome": np.where(decided, np.where(reversed_, "REVERSED", "UPHELD"), ""),
        "decided": np.where(decided, decided_at, -1),
        "reinstated": reversed_,
        "reinstated_at": np.where(reversed_, decided_at + 600, -1),
    }
