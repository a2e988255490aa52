"""Forms of the reviewers' admin pages."""

from django import forms

from accounts.access import (
    DATASETS,
    DEFAULT_DAILY_RECORDS,
    DEFAULT_DAILY_REQUESTS,
    DEFAULT_GRAPH_DAILY_RECORDS,
    DEFAULT_GRAPH_DAILY_REQUESTS,
)
from accounts.services.projects import Terms
from codebook.scopes import Scope
from quotas.services import QUOTA_FIELDS


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}), label="What should change"
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}), label="Reason, for the applicant"
    )


class QuotaForm(forms.Form):
    """A project's four daily quotas (QUOTA_FIELDS), TikTok's defaults to start from."""

    daily_requests = forms.IntegerField(
        min_value=1,
        initial=DEFAULT_DAILY_REQUESTS,
        label="Daily requests (videos, comments, accounts)",
    )
    daily_records = forms.IntegerField(
        min_value=1,
        initial=DEFAULT_DAILY_RECORDS,
        label="Daily records (videos, comments, accounts)",
    )
    graph_daily_requests = forms.IntegerField(
        min_value=1, initial=DEFAULT_GRAPH_DAILY_REQUESTS, label="Daily requests (follower lists)"
    )
    graph_daily_records = forms.IntegerField(
        min_value=1, initial=DEFAULT_GRAPH_DAILY_RECORDS, label="Daily records (follower lists)"
    )


class ProjectLimitsForm(QuotaForm):
    """The quotas, and the privacy budget of the project's private statistics."""

    privacy_budget_rho = forms.FloatField(
        min_value=0,
        max_value=100,
        label="Privacy budget (rho, zero-concentrated DP) for private statistics, in all",
        help_text="What the project's differentially private answers may spend together.",
    )


class ApproveForm(QuotaForm):
    field_order = ("scopes", "datasets", *QUOTA_FIELDS)

    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    datasets = forms.MultipleChoiceField(
        choices=[(d, d) for d in DATASETS], widget=forms.CheckboxSelectMultiple
    )
    access_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    access_end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
        required=False,
        label="Note to the applicant",
    )

    def __init__(self, *args, suggested=(), **kwargs):
        """`suggested`: scopes nobody asked for that the reviewer may want to add; they are
        named in the field's help, not ticked."""
        super().__init__(*args, **kwargs)
        help_text = "Ticked: the scopes the requested datasets are read through."
        if suggested:
            labels = ", ".join(str(scope) for scope in suggested)
            help_text += f" Suggested for this kind of applicant, not asked for: {labels}."
        self.fields["scopes"].help_text = help_text

    def terms(self) -> Terms:
        data = self.cleaned_data
        return Terms(
            scopes=tuple(data["scopes"]),
            datasets=tuple(data["datasets"]),
            access_start=data["access_start"],
            access_end=data["access_end"],
            **{name: data[name] for name in QUOTA_FIELDS},
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            for problem in self.terms().problems():
                self.add_error(None, problem)
        return data


class ConfirmApprovalForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
        required=False,
        label="Note to the applicant",
    )


class ProjectStatusForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 70}))
