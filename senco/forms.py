from django import forms

from senco.models import ClosureKind, Role, School


class SwitchSchoolForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class AuditFilterForm(forms.Form):
    """The form of the audit trail's filters (`senco.filters.AuditFilter`, which declares the
    fields): a date range must run forwards, and a name typed in the search box replaces the
    pupil chosen before (from a pupil's page or a link), which travels in a hidden field."""

    def clean(self):
        data = super().clean()
        if data.get("q"):
            data.pop("pupil", None)
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", "The to date cannot be before the from date.")
        return data


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CHOICES = [
    ("autumn", "Autumn term"),
    ("spring", "Spring term"),
    ("summer", "Summer term"),
    *ClosureKind.choices,
]


# Bootstrap's classes for the formset's fields, which the page lays out as a table by hand.
WIDGET_CLASSES = {"kind": "form-select", "DELETE": "form-check-input"}


class DatedRowForm(forms.Form):
    """One line of a school year: a term, or a closure inside one. Shape only; the whole year's
    rules are `senco.rules.school_year_problems`, applied by the service."""

    kind = forms.ChoiceField(label="What", choices=KIND_CHOICES)
    name = forms.CharField(label="Name (optional)", max_length=100, required=False)
    starts_on = forms.DateField(label="First day", widget=DATE)
    ends_on = forms.DateField(label="Last day", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = WIDGET_CLASSES.get(name, "form-control")


DatedRowFormSet = forms.formset_factory(DatedRowForm, extra=4, can_delete=True, max_num=60, validate_max=True)


class CalendarUploadForm(forms.Form):
    file = forms.FileField(
        label="Term dates file (CSV)",
        help_text=(
            "Columns: kind, starts_on, ends_on, name. Kind is autumn, spring, summer, half_term, "
            "inset or closure."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 100_000:
            raise forms.ValidationError("A term dates file is a few kilobytes: choose the right file.")
        return upload.read()


# Multi-factor sign-in --------------------------------------------------------------------------


class AuthenticatorCodeForm(forms.Form):
    """The first code of a new authenticator app, which proves it was set up right."""

    code = forms.CharField(
        label="The 6-digit code your app shows",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SignInCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


# Staff and roles -------------------------------------------------------------------------------


def _role_choices(roles: list[str]) -> list[tuple[str, str]]:
    return [("", "Choose a role"), *((role, Role(role).label) for role in roles)]


class AddStaffForm(forms.Form):
    """A new member of staff. The roles offered are those the user may grant
    (`senco.permissions.grantable_roles`); the service checks again."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="E-mail address",
        help_text="Their school e-mail address: the invitation to choose a password is sent there.",
    )
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they type to sign in, such as j.smith: letters, digits and @ . + - _ only.",
    )
    role = forms.ChoiceField(label="Role at this school")

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role to give")

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
