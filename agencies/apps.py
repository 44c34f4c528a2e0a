from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "External agencies and EHC plans"

    def ready(self) -> None:
        # What this app adds to the pupil page and the statutory calendar registers itself on
        # import: the EHC request clocks, and the EHC plans' reviews and phase transfers.
        import agencies.pupil_page
        import agencies.selectors.assessments
        import agencies.selectors.ehc_plans  # noqa: F401 (imported for their registrations)

        # A subject access export (a feature of the pupils app) holds everything about the
        # pupil, EHC plans and their reviews included, so this app adds its records to it.
        from agencies.selectors.ehc_plans import ehc_plan_parts
        from agencies.selectors.subject_access import agency_parts
        from pupils.selectors.subject_access import contribute_part

        contribute_part(agency_parts)
        contribute_part(ehc_plan_parts)

        # Disposing of a leaver's record removes their reports' files too, which the cascade
        # from the pupil's row cannot.
        from agencies.services.involvement import remove_reports_for_disposal
        from pupils.services.retention import contribute_remover

        contribute_remover("agencies.reports", remove_reports_for_disposal)
