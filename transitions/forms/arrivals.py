"""Forms for an arriving transfer pack: the upload, and the import's one question. A file input
cannot be refilled by the server: the upload form asks for the file again and says so."""

from django import forms

from transitions.rules import MAX_PACK_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PackUploadForm(forms.Form):
    file = forms.FileField(
        label="Transfer pack (JSON file)",
        allow_empty_file=True,  # the service says why an empty file is refused
        help_text=f"The .json file the previous school sent, at most {MAX_PACK_BYTES // 1024 // 1024} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def content(self) -> bytes:
        """At most one byte over twice the limit: enough to say how much too big it is, never the
        whole of an oversize file in memory."""
        return self.cleaned_data["file"].read(MAX_PACK_BYTES * 2 + 1)


class ImportPackForm(forms.Form):
    admitted_on = forms.DateField(
        label="Admission date",
        widget=DATE,
        help_text="For a pupil new to this school; a pupil matched by UPN keeps their own.",
    )
