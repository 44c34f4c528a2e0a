from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "External agencies and EHC plans"

    def ready(self) -> None:
        # What this app adds to the pupil page registers itself on import.
        import agencies.pupil_page  # noqa: F401 (imported for its registrations)
