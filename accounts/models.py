"""People, their applications for access, and the projects approval creates.

Status fields change only through accounts/services (conditional updates guarded by the
current state); forms and API calls never write them.
"""

import uuid
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from accounts.access import ApplicantType


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email):
        """Sign-in finds the account whatever the letter case typed (addresses are stored
        lower-cased, and unique regardless of case)."""
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: applicant, researcher, auditor or reviewer. Login is the e-mail."""

    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    @property
    def is_reviewer(self) -> bool:
        return self.is_active and self.is_staff and self.has_perm("accounts.review_application")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "draft"
    SUBMITTED = "submitted", "submitted, awaiting review"
    CHANGES_REQUESTED = "changes_requested", "changes requested"
    PENDING_CONFIRMATION = "pending_confirmation", "approved, awaiting a second reviewer"
    APPROVED = "approved", "approved"
    REJECTED = "rejected", "rejected"
    WITHDRAWN = "withdrawn", "withdrawn"


class Application(models.Model):
    """A request for access, written by its applicant (the principal investigator)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    applicant_type = models.CharField(
        max_length=16, choices=ApplicantType, default=ApplicantType.RESEARCHER
    )
    status = models.CharField(
        max_length=24, choices=ApplicationStatus, default=ApplicationStatus.DRAFT
    )

    institution = models.CharField(max_length=200, blank=True)
    institution_country = models.CharField(max_length=2, blank=True)
    role = models.CharField("role or position", max_length=200, blank=True)
    project_title = models.CharField(max_length=300)
    abstract = models.TextField(blank=True)
    research_questions = models.TextField(blank=True)
    # [{"dataset": "video", "fields": ["id", ...], "necessity": "why each is needed"}]
    data_requests = models.JSONField(default=list, blank=True)
    time_frame_start = models.DateField(null=True, blank=True)
    time_frame_end = models.DateField(null=True, blank=True)
    ethics_reference = models.CharField("ethics approval reference", max_length=200, blank=True)
    data_security_plan = models.TextField(blank=True)
    funding_statement = models.TextField("funding and independence statement", blank=True)
    # [{"name": ..., "email": ..., "institution": ...}], at most MAX_COLLABORATORS
    collaborators = models.JSONField(default=list, blank=True)
    public_summary = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_applications",
    )
    # Two-person rule: the first reviewer's approval terms, awaiting confirmation.
    proposed_terms = models.JSONField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_approvals",
    )

    class Meta:
        permissions = [("review_application", "Can review and decide applications")]
        indexes = [
            models.Index(fields=["status", "first_submitted_at"], name="application_queue_idx")
        ]

    def __str__(self):
        return self.project_title

    @property
    def collaborator_emails(self) -> set[str]:
        return {c["email"].lower() for c in self.collaborators}


class ApplicationMessage(models.Model):
    class Kind(models.TextChoices):
        CHANGE_REQUEST = "change_request", "changes requested"
        RESPONSE = "response", "applicant's response"
        APPROVAL = "approval", "approval"
        REJECTION = "rejection", "rejection"
        WITHDRAWAL = "withdrawal", "withdrawal"

    id = models.BigAutoField(primary_key=True)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.application_id}"


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "active"
    SUSPENDED = "suspended", "suspended"
    REVOKED = "revoked", "revoked"


def default_privacy_budget() -> float:
    return settings.RESEARCH_API_PRIVACY_BUDGET_RHO


class Project(models.Model):
    """What an approval grants: scopes, datasets, quotas and an access window."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="project"
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=ApplicantType)
    status = models.CharField(max_length=16, choices=ProjectStatus, default=ProjectStatus.ACTIVE)
    status_reason = models.TextField(blank=True)
    scopes = models.JSONField(default=list)
    datasets = models.JSONField(default=list)
    # Daily quotas: video, comment and account endpoints ...
    daily_requests = models.PositiveIntegerField()
    daily_records = models.PositiveBigIntegerField()
    # ... and follower/following lists (TikTok's defaults: 20,000 and 2,000,000).
    graph_daily_requests = models.PositiveIntegerField(default=20_000)
    graph_daily_records = models.PositiveBigIntegerField(default=2_000_000)
    # What its differentially private statistics may spend, in all (zero-concentrated DP).
    privacy_budget_rho = models.FloatField(default=default_privacy_budget)
    access_start = models.DateField()
    access_end = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    # The project's last compliance sync (the deletions feed read to its end, or a batch
    # validation), and when it was last warned that one is overdue.
    compliance_synced_at = models.DateTimeField(null=True, blank=True)
    compliance_warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [
            ("manage_project", "Can suspend, reinstate or revoke projects and set quotas")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(access_end__gte=models.F("access_start")),
                name="project_access_window_in_order",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def access_opens_at(self) -> datetime:
        return datetime.combine(self.access_start, time.min, tzinfo=UTC)

    @property
    def access_closes_at(self) -> datetime:
        return datetime.combine(self.access_end, time.max, tzinfo=UTC)

    def compliance_due(self, now: datetime) -> datetime:
        """When the next compliance sync is due: so many days after the last one (or after
        access opened)."""
        last = self.compliance_synced_at or self.access_opens_at
        return last + timedelta(days=settings.RESEARCH_API_COMPLIANCE_SYNC_DAYS)

    def compliance_pause(self, now: datetime) -> str | None:
        """Why the project may not read data now (a sync overdue past its grace), or None.
        Compliance endpoints stay open, so the project can sync."""
        paused_from = self.compliance_due(now) + timedelta(
            days=settings.RESEARCH_API_COMPLIANCE_GRACE_DAYS
        )
        if now < paused_from:
            return None
        return (
            f"your project's compliance sync was due on {self.compliance_due(now):%Y-%m-%d}: "
            "read GET /v2/research/compliance/deletions/ to its end (or validate your ids) to "
            "resume"
        )

    def refusal(self, now: datetime) -> str | None:
        """Why this project may not use the API at `now`, or None if it may."""
        if self.status != ProjectStatus.ACTIVE:
            return f"the project is {self.status}"
        if now < self.access_opens_at:
            return f"the project's access opens on {self.access_start:%Y-%m-%d}"
        if now > self.access_closes_at:
            return f"the project's access ended on {self.access_end:%Y-%m-%d}"
        return None


class ProjectMember(models.Model):
    class Role(models.TextChoices):
        PRINCIPAL_INVESTIGATOR = "pi", "principal investigator"
        COLLABORATOR = "collaborator", "collaborator"

    id = models.BigAutoField(primary_key=True)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="project_member_unique")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class ProjectClient(models.Model):
    """A project's confidential OAuth client (django-oauth-toolkit Application)."""

    id = models.BigAutoField(primary_key=True)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="clients")
    oauth_application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="project_client",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    secret_issued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"client {self.oauth_application.client_id}"

    @property
    def client_key(self) -> str:
        return self.oauth_application.client_id


class PseudonymKey(models.Model):
    """A project's pseudonym key, encrypted under the master key (AES-GCM, bound to the
    project id). Rotating replaces it; destroying it shreds the project's id mapping."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="pseudonym_key")
    ciphertext = models.BinaryField(null=True)
    nonce = models.BinaryField(null=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"pseudonym key v{self.version} of {self.project_id}"


class AttemptWindow(models.Model):
    """Attempts of one subject (an address, a client, an e-mail address) in one fixed window
    that throttles count: failed token requests, sign-ups (accounts.throttling)."""

    id = models.BigAutoField(primary_key=True)
    subject = models.CharField(max_length=120, help_text="e.g. address:<ip>, client:<key>")
    window_start = models.BigIntegerField(help_text="Unix seconds")
    attempts = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "window_start"], name="attempt_window_unique"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="attempt_window_start_idx")]

    def __str__(self):
        return f"{self.subject} @ {self.window_start}: {self.attempts}"
