"""Django admin is for superusers only: trust set-up and support, never day-to-day SEN work.

Roles go through the same services as the app's Staff pages (`grant_role`, `revoke_role`), so
each change is checked by the same rule and audited; so does switching an account on or off,
and a school's joining or leaving a trust. Users are never deleted: the audit trail points at
them, and a leaver is deactivated instead."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from senco.models import AcademicYear, AuditEvent, Membership, School, SenBudget, Term, Trust, User
from senco.services.staff import (
    align_trust_administrators,
    check_may_grant,
    check_may_revoke,
    grant_role,
    revoke_role,
    set_account_active,
)


class MembershipFormSet(BaseInlineFormSet):
    """A user's roles. Each added row is a grant and each removed or changed row a revocation,
    checked here by the services' own rules so that a refusal is shown on the form; saving is
    `StaffAdmin.save_formset`'s, through the services."""

    by: User  # the superuser, set by MembershipInline.get_formset

    def changes(self) -> tuple[list[Membership], list[Membership]]:
        """(Roles to grant, roles to revoke): a changed row is both, its new and its stored values."""
        grants, revokes = [], []
        for form in self.forms:
            if form.instance.pk is not None and (self._should_delete_form(form) or form.has_changed()):
                revokes.append(Membership.objects.select_related("school").get(pk=form.instance.pk))
            if not self._should_delete_form(form) and form.has_changed():
                data = form.cleaned_data
                grants.append(Membership(user=self.instance, school=data["school"], role=data["role"]))
        return grants, revokes

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        grants, revokes = self.changes()
        problems = []
        for check, memberships in ((check_may_revoke, revokes), (check_may_grant, grants)):
            for membership in memberships:
                try:
                    check(user=self.instance, school=membership.school, role=membership.role, by=self.by)
                except ValidationError as exc:
                    problems += exc.messages
        if problems:
            raise ValidationError(problems)


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.by = request.user
        return formset


@admin.register(User)
class StaffAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        switched = change and "is_active" in form.changed_data
        if switched:
            obj.is_active = form.initial["is_active"]
        super().save_model(request, obj, form, change)
        if switched:
            set_account_active(user=obj, active=form.cleaned_data["is_active"], by=request.user)

    def save_formset(self, request, form, formset, change):
        if not isinstance(formset, MembershipFormSet):
            return super().save_formset(request, form, formset, change)
        grants, revokes = formset.changes()
        for membership in revokes:
            revoke_role(user=form.instance, school=membership.school, role=membership.role, by=request.user)
        granted = [
            grant_role(user=form.instance, school=membership.school, role=membership.role, by=request.user)
            for membership in grants
        ]
        # What the admin's own history message reads, as formset.save() would have left it.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = granted, [], revokes


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "trust"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "trust" in form.changed_data:
            align_trust_administrators(school=obj, by=request.user)


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    inlines = [TermInline]
    list_display = ["school", "__str__"]


admin.site.register([Trust, SenBudget])


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "school", "actor", "action", "object_type", "object_id", "pupil_id", "ip_address"]
    list_filter = ["action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# django-otp registers its devices here, which would let a superuser delete one without an audit
# row and read its secret. A lost device is reset through `senco.services.sign_in.reset_mfa_device`: by
# the school (Staff and roles) or, for support, `python manage.py reset_mfa_device`.
admin.site.unregister([TOTPDevice, StaticDevice])
