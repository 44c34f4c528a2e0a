"""Django admin is for superusers only: trust set-up and support, never day-to-day SEN work."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from senco.models import AcademicYear, AuditEvent, Membership, School, SenBudget, Term, Trust, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class StaffAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    inlines = [TermInline]
    list_display = ["school", "__str__"]


admin.site.register([Trust, School, SenBudget])


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
# row and read its secret. A lost device is reset through `senco.services.reset_mfa_device`: by
# the school (Sign-in devices) or, for support, `python manage.py reset_mfa_device`.
admin.site.unregister([TOTPDevice, StaticDevice])
