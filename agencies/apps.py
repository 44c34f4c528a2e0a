from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "External agencies and EHC plans"

    def ready(self) -> None:
        # What this app adds to the pupil page registers itself on import.
        import agencies.pupil_page  # noqa: F401 (imported for its registrations)

        # Disposing of a leaver's record removes their reports' files too, which the cascade
        # from the pupil's row cannot.
        from agencies.services.involvement import remove_reports_for_disposal
        from pupils.services.retention import contribute_remover

        contribute_remover("agencies.reports", remove_reports_for_disposal)
