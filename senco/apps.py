from django.apps import AppConfig
from django.contrib import admin
from django.contrib.admin import apps as admin_apps


class SencoConfig(AppConfig):
    default = True
    name = "senco"
    verbose_name = "SENCO core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from senco.middleware import session_pushed_on_at_sign_in

        user_logged_in.connect(session_pushed_on_at_sign_in, dispatch_uid="session_pushed_on_at_sign_in")


class SuperuserOnlyAdminSite(admin.AdminSite):
    """Django admin is for superusers only: trust set-up and support, never day-to-day SEN work."""

    site_header = "SENCO caseload – system administration"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class SencoAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "senco.apps.SuperuserOnlyAdminSite"
