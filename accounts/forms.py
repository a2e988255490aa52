"""Portal forms. They carry the applicant's own fields only: status, quotas and scopes are not
fields of any form, so no request can set them."""

from django import forms

from accounts.access import (
    DATASET_FIELD_DESCRIPTIONS,
    DATASET_FIELDS,
    DATASET_TITLES,
    DATASETS,
    MAX_COLLABORATORS,
    ApplicantType,
)
from accounts.models import User

_TEXT = {"rows": 4, "cols": 80}
# Form fields stored as they are on the application.
_PLAIN_FIELDS = (
    "applicant_type",
    "institution",
    "institution_country",
    "role",
    "project_title",
    "abstract",
    "research_questions",
    "time_frame_start",
    "time_frame_end",
    "ethics_reference",
    "data_security_plan",
    "funding_statement",
    "public_summary",
)


class SignUpForm(forms.Form):
    """Who signs up. No password: it is chosen through the link e-mailed to the address
    (accounts.services.sign_ups), and nothing here depends on whether the address has an
    account."""

    email = forms.EmailField(label="E-mail address", max_length=254)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)

    def clean_email(self):
        return self.cleaned_data["email"].lower()


_ACRONYMS = {"id": "ID", "url": "URL", "stem": "STEM", "ai": "AI", "dsa": "DSA"}


def field_label(name: str) -> str:
    """A field's name as people read it: `is_stem_verified` -> "Is STEM verified"."""
    words = [_ACRONYMS.get(word, word) for word in name.split("_")]
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


def _dataset_choices(dataset: str):
    fields = DATASET_FIELDS.get(dataset)
    if not fields:
        return [("aggregates", "Aggregate statistics")]
    return [(f, field_label(f)) for f in fields]


class ApplicationForm(forms.Form):
    applicant_type = forms.ChoiceField(choices=ApplicantType.choices, label="I apply as")
    institution = forms.CharField(max_length=200, required=False)
    institution_country = forms.CharField(
        max_length=2, required=False, label="Institution's country (ISO code, e.g. DE)"
    )
    role = forms.CharField(max_length=200, required=False, label="Your role or position")
    project_title = forms.CharField(max_length=300)
    abstract = forms.CharField(widget=forms.Textarea(attrs=_TEXT), required=False)
    research_questions = forms.CharField(widget=forms.Textarea(attrs=_TEXT), required=False)
    time_frame_start = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    time_frame_end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    ethics_reference = forms.CharField(
        max_length=200, required=False, label="Ethics approval reference"
    )
    data_security_plan = forms.CharField(widget=forms.Textarea(attrs=_TEXT), required=False)
    funding_statement = forms.CharField(
        widget=forms.Textarea(attrs=_TEXT),
        required=False,
        label="Funding and independence statement",
    )
    public_summary = forms.CharField(
        widget=forms.Textarea(attrs=_TEXT),
        required=False,
        help_text="Published if your application is approved.",
    )

    def __init__(self, *args, applicant: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant = applicant
        for dataset, description in DATASETS.items():
            self.fields[f"fields__{dataset}"] = forms.MultipleChoiceField(
                choices=_dataset_choices(dataset),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                label=DATASET_TITLES[dataset],
                help_text=description,
            )
            if DATASET_FIELDS.get(dataset):
                self.fields[f"all__{dataset}"] = forms.BooleanField(
                    required=False,
                    label=f"Every field of {DATASET_TITLES[dataset].lower()} "
                    f"({len(DATASET_FIELDS[dataset])})",
                )
            self.fields[f"necessity__{dataset}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
                required=False,
                label=f"Why you need each field of {dataset}",
            )
        for i in range(MAX_COLLABORATORS):
            self.fields[f"collaborator_{i}_name"] = forms.CharField(
                max_length=150, required=False, label="Name"
            )
            self.fields[f"collaborator_{i}_email"] = forms.EmailField(
                required=False, label="E-mail"
            )
            self.fields[f"collaborator_{i}_institution"] = forms.CharField(
                max_length=200, required=False, label="Institution"
            )

    def dataset_groups(self) -> list[dict]:
        """One group per dataset for the page: its title and description, the whole-dataset
        pick, and each field's box with its label and the codebook's description."""
        groups = []
        for dataset in DATASETS:
            fields = self[f"fields__{dataset}"]
            descriptions = DATASET_FIELD_DESCRIPTIONS.get(dataset, {})
            chosen = set(fields.value() or ())
            gist, _, rest = DATASETS[dataset].partition(". ")
            groups.append(
                {
                    "name": dataset,
                    "fields": fields,
                    "gist": gist.rstrip(".") + ".",
                    "rest": rest,
                    "boxes": [(box, descriptions.get(box.data["value"], "")) for box in fields],
                    "every": self[f"all__{dataset}"] if f"all__{dataset}" in self.fields else None,
                    "necessity": self[f"necessity__{dataset}"],
                    "chosen": len(chosen),
                    "open": bool(chosen or fields.errors or self[f"necessity__{dataset}"].value()),
                }
            )
        return groups

    def collaborator_rows(self):
        return [
            (
                self[f"collaborator_{i}_name"],
                self[f"collaborator_{i}_email"],
                self[f"collaborator_{i}_institution"],
            )
            for i in range(MAX_COLLABORATORS)
        ]

    def clean_institution_country(self):
        code = self.cleaned_data["institution_country"].strip().upper()
        if code and (len(code) != 2 or not code.isalpha()):
            raise forms.ValidationError("Use the two-letter ISO code, e.g. DE.")
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("time_frame_start"), data.get("time_frame_end")
        if start and end and end < start:
            self.add_error("time_frame_end", "The time frame ends before it starts.")
        requests = []
        for dataset in DATASETS:
            fields = data.get(f"fields__{dataset}") or []
            if data.get(f"all__{dataset}"):
                fields = list(DATASET_FIELDS[dataset])
            necessity = (data.get(f"necessity__{dataset}") or "").strip()
            if fields or necessity:
                if not fields:
                    self.add_error(f"fields__{dataset}", "Choose the fields you need.")
                requests.append(
                    {"dataset": dataset, "fields": list(fields), "necessity": necessity}
                )
        collaborators, seen = [], set()
        for i in range(MAX_COLLABORATORS):
            name = (data.get(f"collaborator_{i}_name") or "").strip()
            email = (data.get(f"collaborator_{i}_email") or "").strip().lower()
            institution = (data.get(f"collaborator_{i}_institution") or "").strip()
            if not (name or email or institution):
                continue
            if not email:
                self.add_error(f"collaborator_{i}_email", "Each collaborator needs an e-mail.")
                continue
            if email in seen:
                self.add_error(f"collaborator_{i}_email", "This collaborator is listed twice.")
            if self.applicant is not None and email == self.applicant.email.lower():
                self.add_error(f"collaborator_{i}_email", "You are the principal investigator.")
            seen.add(email)
            collaborators.append({"name": name, "email": email, "institution": institution})
        data["data_requests"] = requests
        data["collaborators"] = collaborators
        return data

    @classmethod
    def initial_from(cls, application) -> dict:
        initial = {name: getattr(application, name) for name in _PLAIN_FIELDS}
        for request in application.data_requests:
            initial[f"fields__{request['dataset']}"] = request["fields"]
            every = DATASET_FIELDS.get(request["dataset"])
            initial[f"all__{request['dataset']}"] = bool(every) and set(every) <= set(
                request["fields"]
            )
            initial[f"necessity__{request['dataset']}"] = request["necessity"]
        for i, collaborator in enumerate(application.collaborators):
            for key in ("name", "email", "institution"):
                initial[f"collaborator_{i}_{key}"] = collaborator.get(key, "")
        return initial

    def application_data(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in (*_PLAIN_FIELDS, "data_requests", "collaborators")}


class ResponseForm(forms.Form):
    response = forms.CharField(
        widget=forms.Textarea(attrs=_TEXT), required=False, label="Your answer to the reviewers"
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2, "cols": 80}), required=False)
