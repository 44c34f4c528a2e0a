from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Pupils and the SEN register"

    def ready(self) -> None:
        # What this app adds to the pupil page registers itself on import.
        import pupils.pupil_page  # noqa: F401 (imported for its registrations)
