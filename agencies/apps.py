from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "External agencies and EHC plans"

    def ready(self) -> None:
        import agencies.pupil_page
        import agencies.selectors.assessments  # noqa: F401  (registers its statutory calendar dates)
