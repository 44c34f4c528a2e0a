from django.urls import path

from pupils.views import (
    concerns,
    contacts,
    imports,
    leavers,
    passports,
    records,
    register,
    register_health,
    retention,
)

app_name = "pupils"

urlpatterns = [
    path("<int:pk>/", records.pupil_detail, name="detail"),
]

# The pupil's record, SEN status and the MIS import (SENCO team; record and import also the administrator).
urlpatterns += [
    path("<int:pk>/edit/", records.pupil_edit, name="edit"),
    path("<int:pk>/status/", records.change_status, name="change_status"),
    path("import/", imports.mis_import, name="import"),
]

# The SEN register, its export, leavers and register health (SENCO team, leadership, administrator).
urlpatterns += [
    path("", register.register, name="register"),
    path("register.csv", register.register_csv, name="register_csv"),
    path("leavers/", leavers.leavers, name="leavers"),
    path("register-health/", register_health.register_health, name="register_health"),
    path("<int:pk>/leaver-off-register/", leavers.leaver_off_register, name="leaver_off_register"),
]

# Pupil passports (every version kept), parents and carers, and the contact log.
urlpatterns += [
    path("<int:pk>/passport/", passports.passport, name="passport"),
    path("<int:pk>/passport/v<int:version>/", passports.passport, name="passport_version"),
    path("<int:pk>/passport/edit/", passports.passport_edit, name="passport_edit"),
    path("<int:pk>/passport/pdf/", passports.passport_pdf, name="passport_pdf"),
    path("<int:pk>/passport/v<int:version>/pdf/", passports.passport_pdf, name="passport_version_pdf"),
    path("<int:pk>/carers/add/", contacts.carer_add, name="carer_add"),
    path("carers/<int:carer_pk>/edit/", contacts.carer_edit, name="carer_edit"),
    path("carers/<int:carer_pk>/delete/", contacts.carer_delete, name="carer_delete"),
    path("<int:pk>/contacts/add/", contacts.contact_add, name="contact_add"),
]

# Concerns: staff log them, the SENCO team triages them (leadership reads), the teacher sees the outcome.
urlpatterns += [
    path("<int:pk>/concerns/new/", concerns.concern_add, name="concern_add"),
    path("concerns/mine/", concerns.my_concerns, name="my_concerns"),
    path("concerns/", concerns.concern_queue, name="concern_queue"),
    path("concerns/<int:pk>/", concerns.concern_detail, name="concern_detail"),
    path("concerns/<int:pk>/acknowledge/", concerns.concern_acknowledge, name="concern_acknowledge"),
    path("concerns/<int:pk>/gather/", concerns.concern_gather, name="concern_gather"),
    path("concerns/<int:pk>/decide/", concerns.concern_decide, name="concern_decide"),
]

# Retention and disposal: the SENCO team proposes, the headteacher approves; both place legal holds.
urlpatterns += [
    path("retention/", retention.disposal_list, name="retention"),
    path("retention/period/", retention.retention_period, name="retention_period"),
    path("retention/log/", retention.disposal_log, name="disposal_log"),
    path("retention/proposals/<int:proposal_pk>/", retention.disposal_decide, name="disposal_decide"),
    path("retention/holds/<int:hold_pk>/lift/", retention.legal_hold_lift, name="legal_hold_lift"),
    path("<int:pk>/legal-hold/", retention.legal_hold_place, name="legal_hold_place"),
    path("<int:pk>/propose-disposal/", retention.disposal_propose, name="disposal_propose"),
]
