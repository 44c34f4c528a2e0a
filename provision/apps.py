from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "provision"
    verbose_name = "Graduated approach and provision"

    def ready(self) -> None:
        # What this app adds to the pupil page registers itself on import.
        import provision.pupil_page  # noqa: F401 (imported for its registrations)
