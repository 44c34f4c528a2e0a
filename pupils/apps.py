from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Pupils and the SEN register"

    def ready(self) -> None:
        # What this app adds to the pupil page registers itself on import.
        import pupils.pupil_page  # noqa: F401 (imported for its registrations)

        # The core's audit trail finds pupils by name or UPN through this app (R2).
        from pupils.selectors.records import pupils_for_audit
        from senco.selectors import provide_pupil_lookup

        provide_pupil_lookup(pupils_for_audit)

        # A disposal removes the files of the pupil's prepared subject access exports, which
        # deleting their rows would leave behind.
        from pupils.services.retention import contribute_remover
        from pupils.services.subject_access import remove_subject_access_exports

        contribute_remover("pupils.subject_access_exports", remove_subject_access_exports)
