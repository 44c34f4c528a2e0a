from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "provision"
    verbose_name = "Graduated approach and provision"

    def ready(self) -> None:
        from provision import group_sources, sources  # noqa: F401 (registers the provision chronology sources)
