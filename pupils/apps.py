from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"
    verbose_name = "Pupils and the SEN register"

    def ready(self) -> None:
        import pupils.concern_sources  # noqa: F401 (registers the concerns' chronology source)
        from pupils import sources  # noqa: F401 (registers pupils' own chronology sources)
