from django import forms
from django.contrib import admin

from pupils.models import GroupKind, NeedType, TeachingGroup
from pupils.services.records import group_staff_problems, set_group_staff
from senco.models import User

# Pupil records are not in the admin: every read of them must go through the audited views.
admin.site.register(NeedType)

STAFF_FIELDS = ("teachers", "assistants")


class TeachingGroupAdminForm(forms.ModelForm):
    by: User  # the superuser, set by TeachingGroupAdmin.get_form

    class Meta:
        model = TeachingGroup
        # Not `pupils`: who is in a group comes from the MIS import, and listing every pupil
        # here would show their names outside the audited views, and across schools.
        fields = ["school", "name", "kind", *STAFF_FIELDS]

    def clean(self):
        """Staff belong to the group's school, and a group with pupils cannot move school:
        either would give staff at one school a route to another school's pupils. Then the
        rules of `set_group_staff`, which saves the staff, so a refusal shows on the form."""
        cleaned = super().clean()
        school = cleaned.get("school")
        if school is None:
            return cleaned
        for field in STAFF_FIELDS:
            chosen = cleaned.get(field)  # absent when the field itself failed (an unknown user)
            outsiders = chosen.exclude(memberships__school=school) if chosen is not None else []
            if outsiders:
                names = ", ".join(sorted(user.get_full_name() or user.username for user in outsiders))
                self.add_error(field, f"Not on the staff of {school}: {names}.")
        if self.instance.pk and self.instance.pupils.exclude(school=school).exists():
            self.add_error("school", "This group's pupils belong to its present school; it cannot move.")
        staff_changed = any(field in self.changed_data for field in STAFF_FIELDS)
        if staff_changed and cleaned.get("kind") == GroupKind.INTERVENTION:
            self.add_error(None, "An intervention group's staff are set on its provision group.")
        elif staff_changed and not any(field in self.errors for field in STAFF_FIELDS):
            as_saved = TeachingGroup(pk=self.instance.pk, school=school)
            chosen = {field: list(cleaned[field]) for field in STAFF_FIELDS}
            for field, problem in group_staff_problems(group=as_saved, by=self.by, **chosen).items():
                self.add_error(field, problem)
        return cleaned


@admin.register(TeachingGroup)
class TeachingGroupAdmin(admin.ModelAdmin):
    form = TeachingGroupAdminForm
    list_display = ["name", "school", "kind"]
    list_filter = ["school"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.by = request.user
        return form

    def save_related(self, request, form, formsets, change):
        # The staff are the form's only many-to-many fields: saved by the service, which audits
        # them, instead of form.save_m2m().
        if any(field in form.changed_data for field in STAFF_FIELDS):
            chosen = {field: list(form.cleaned_data[field]) for field in STAFF_FIELDS}
            set_group_staff(group=form.instance, by=request.user, **chosen)
