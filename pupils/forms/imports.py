"""Forms of the MIS import: the upload, and the confirmation that applies what was checked."""

from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file exported from the MIS",
        help_text="Up to 2 MB and 5,000 pupils. Nothing is changed until you have checked the summary.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ApplyForm(forms.Form):
    """Names the checked file (its SHA-256, kept with the file in the session) and the plan shown."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    fingerprint = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
