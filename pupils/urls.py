from django.urls import path

from pupils import views
from pupils.views import concerns as concern_views
from pupils.views import contacts as contact_views
from pupils.views import imports as import_views
from pupils.views import passports as passport_views
from pupils.views import records as record_views
from pupils.views import register as register_views

app_name = "pupils"

urlpatterns = [
    path("<int:pk>/", views.pupil_detail, name="detail"),
]

# The pupil's record, SEN status and the MIS import (SENCO team; record and import also the administrator).
urlpatterns += [
    path("<int:pk>/edit/", record_views.pupil_edit, name="edit"),
    path("<int:pk>/status/", record_views.change_status, name="change_status"),
    path("import/", import_views.mis_import, name="import"),
]

# The SEN register, its export, leavers and register health (SENCO team, leadership, administrator).
urlpatterns += [
    path("", register_views.register, name="register"),
    path("register.csv", register_views.register_csv, name="register_csv"),
    path("leavers/", register_views.leavers, name="leavers"),
    path("register-health/", register_views.register_health, name="register_health"),
    path("<int:pk>/leaver-off-register/", register_views.leaver_off_register, name="leaver_off_register"),
]

# Pupil passports (every version kept), parents and carers, and the contact log.
urlpatterns += [
    path("<int:pk>/passport/", passport_views.passport, name="passport"),
    path("<int:pk>/passport/v<int:version>/", passport_views.passport, name="passport_version"),
    path("<int:pk>/passport/edit/", passport_views.passport_edit, name="passport_edit"),
    path("<int:pk>/passport/pdf/", passport_views.passport_pdf, name="passport_pdf"),
    path("<int:pk>/passport/v<int:version>/pdf/", passport_views.passport_pdf, name="passport_version_pdf"),
    path("<int:pk>/carers/add/", contact_views.carer_add, name="carer_add"),
    path("carers/<int:carer_pk>/edit/", contact_views.carer_edit, name="carer_edit"),
    path("carers/<int:carer_pk>/delete/", contact_views.carer_delete, name="carer_delete"),
    path("<int:pk>/contacts/add/", contact_views.contact_add, name="contact_add"),
]

# Concerns: staff log them, the SENCO team triages them (leadership reads), the teacher sees the outcome.
urlpatterns += [
    path("<int:pk>/concerns/new/", concern_views.concern_add, name="concern_add"),
    path("concerns/mine/", concern_views.my_concerns, name="my_concerns"),
    path("concerns/", concern_views.concern_queue, name="concern_queue"),
    path("concerns/<int:pk>/", concern_views.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/acknowledge/", concern_views.concern_acknowledge, name="concern_acknowledge"),
    path("concerns/<int:pk>/gather/", concern_views.concern_gather, name="concern_gather"),
    path("concerns/<int:pk>/decide/", concern_views.concern_decide, name="concern_decide"),
]
