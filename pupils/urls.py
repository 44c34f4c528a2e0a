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
    subject_access,
)

app_name = "pupils"

urlpatterns = [
    path("<int:pk>/", records.pupil_detail, name="detail"),
    path("mine/", records.my_pupils_list, name="my_pupils"),
]

# The pupil's record, SEN status and the MIS import (SENCO team; record and import also the administrator).
urlpatterns += [
    path("<int:pk>/edit/", records.pupil_edit, name="edit"),
    path("<int:pk>/status/", records.change_status, name="change_status"),
    path("import/", imports.mis_import, name="import"),
    path("import/<int:pk>/", imports.import_run, name="import_run"),
]

# Who teaches and supports each class, registration group and set (the staff pages link here).
urlpatterns += [
    path("teaching-groups/", records.teaching_groups, name="teaching_groups"),
    path("teaching-groups/<int:pk>/staff/", records.group_staff, name="group_staff"),
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
    path("concerns/<int:pk>/look-again/", concerns.concern_look_again, name="concern_look_again"),
]

# Subject access requests: the SENCO team and the administrator log, export and release them;
# the SENCO team decides what is withheld.
urlpatterns += [
    path("subject-access/", subject_access.subject_access_list, name="subject_access_list"),
    path("subject-access/new/", subject_access.subject_access_add, name="subject_access_add"),
    path("subject-access/<int:pk>/", subject_access.subject_access_detail, name="subject_access_detail"),
    path("subject-access/<int:pk>/edit/", subject_access.subject_access_edit, name="subject_access_edit"),
    path(
        "subject-access/<int:pk>/extend/", subject_access.subject_access_extend, name="subject_access_extend"
    ),
    path(
        "subject-access/<int:pk>/records/",
        subject_access.subject_access_records,
        name="subject_access_records",
    ),
    path(
        "subject-access/<int:pk>/withhold/",
        subject_access.subject_access_withhold,
        name="subject_access_withhold",
    ),
    path(
        "subject-access/<int:pk>/include/",
        subject_access.subject_access_include,
        name="subject_access_include",
    ),
    path(
        "subject-access/<int:pk>/prepare/",
        subject_access.subject_access_prepare,
        name="subject_access_prepare",
    ),
    path(
        "subject-access/<int:pk>/export/",
        subject_access.subject_access_export,
        name="subject_access_export",
    ),
    path("subject-access/<int:pk>/export.pdf", subject_access.subject_access_pdf, name="subject_access_pdf"),
    path(
        "subject-access/<int:pk>/export.json", subject_access.subject_access_json, name="subject_access_json"
    ),
    path(
        "subject-access/<int:pk>/release/",
        subject_access.subject_access_release,
        name="subject_access_release",
    ),
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
