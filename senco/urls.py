from django.contrib import admin
from django.urls import include, path

from senco import views

core = (
    [
        path("audit/", views.audit_trail, name="audit_trail"),
        path("audit/export/", views.audit_trail_csv, name="audit_trail_csv"),
        path("switch-school/", views.switch_school, name="switch_school"),
        path("calendar/", views.calendar, name="calendar"),
        path("calendar/import/", views.calendar_import, name="calendar_import"),
        path("calendar/<int:start_year>/", views.calendar_year, name="calendar_year"),
        path("calendar/<int:start_year>/copy-forward/", views.calendar_copy, name="calendar_copy"),
        path("staff/", views.staff, name="staff"),
        path("staff/add/", views.staff_add, name="staff_add"),
        path("staff/<int:pk>/", views.staff_member, name="staff_member"),
        path("staff/<int:pk>/roles/<str:role>/revoke/", views.role_revoke, name="role_revoke"),
        path("staff/<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
        path("staff/<int:pk>/reset-sign-in-device/", views.mfa_reset, name="mfa_reset"),
    ],
    "senco",
)

accounts = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/change/", views.password_change, name="password_change"),
    path("password/change/done/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("second-factor/", views.mfa_verify, name="mfa_verify"),
    path("second-factor/set-up/", views.mfa_set_up, name="mfa_set_up"),
    path("second-factor/recovery-codes/", views.mfa_recovery_codes, name="mfa_recovery_codes"),
]

urlpatterns = [
    path("", include("senco.reports.urls")),
    path("accounts/", include(accounts)),
    path("school/", include(core)),
    path("pupils/", include("pupils.urls")),
    path("provision/", include("provision.urls")),
    path("agencies/", include("agencies.urls")),
    path("transitions/", include("transitions.urls")),
    path("admin/", admin.site.urls),
]
