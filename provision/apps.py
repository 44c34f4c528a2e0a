from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "provision"
    verbose_name = "Graduated approach and provision"

    def ready(self) -> None:
        # The chronology sources and the pupil page's panels register themselves on import.
        from provision import group_sources, panels, sources  # noqa: F401 (imported for their registrations)
