"""Forms of the reviewers' admin pages."""

from django import forms

from accounts.access import (
    DATASETS,
    DEFAULT_DAILY_RECORDS,
    DEFAULT_DAILY_REQUESTS,
    DEFAULT_GRAPH_DAILY_RECORDS,
    DEFAULT_GRAPH_DAILY_REQUESTS,
    Scope,
)
from accounts.services.projects import Terms


class RequestChangesForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}), label="What should change"
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}), label="Reason, for the applicant"
    )


class ApproveForm(forms.Form):
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    datasets = forms.MultipleChoiceField(
        choices=[(d, d) for d in DATASETS], widget=forms.CheckboxSelectMultiple
    )
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
    access_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    access_end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 70}),
        required=False,
        label="Note to the applicant",
    )

    def terms(self) -> Terms:
        data = self.cleaned_data
        return Terms(
            tuple(data["scopes"]),
            tuple(data["datasets"]),
            data["daily_requests"],
            data["daily_records"],
            data["access_start"],
            data["access_end"],
            data["graph_daily_requests"],
            data["graph_daily_records"],
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


class QuotaForm(forms.Form):
    daily_requests = forms.IntegerField(min_value=1, label="Daily requests (videos etc.)")
    daily_records = forms.IntegerField(min_value=1, label="Daily records (videos etc.)")
    graph_daily_requests = forms.IntegerField(min_value=1, label="Daily requests (follower lists)")
    graph_daily_records = forms.IntegerField(min_value=1, label="Daily records (follower lists)")
