from django import forms
from django.contrib import admin

from pupils.models import NeedType, TeachingGroup

# Pupil records are not in the admin: every read of them must go through the audited views.
admin.site.register(NeedType)


class TeachingGroupAdminForm(forms.ModelForm):
    class Meta:
        model = TeachingGroup
        # Not `pupils`: who is in a group comes from the MIS import, and listing every pupil
        # here would show their names outside the audited views, and across schools.
        fields = ["school", "name", "kind", "teachers", "assistants"]

    def clean(self):
        """Staff belong to the group's school, and a group with pupils cannot move school:
        either would give staff at one school a route to another school's pupils."""
        cleaned = super().clean()
        school = cleaned.get("school")
        if school is None:
            return cleaned
        for field in ("teachers", "assistants"):
            chosen = cleaned.get(field)  # absent when the field itself failed (an unknown user)
            outsiders = chosen.exclude(memberships__school=school) if chosen is not None else []
            if outsiders:
                names = ", ".join(sorted(user.get_full_name() or user.username for user in outsiders))
                self.add_error(field, f"Not on the staff of {school}: {names}.")
        if self.instance.pk and self.instance.pupils.exclude(school=school).exists():
            self.add_error("school", "This group's pupils belong to its present school; it cannot move.")
        return cleaned


@admin.register(TeachingGroup)
class TeachingGroupAdmin(admin.ModelAdmin):
    form = TeachingGroupAdminForm
    list_display = ["name", "school", "kind"]
    list_filter = ["school"]
