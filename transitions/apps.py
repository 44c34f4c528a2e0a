from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "transitions"
    verbose_name = "Transitions and exam access arrangements"

    def ready(self) -> None:
        # --- transition_plans and adulthood: the pupil page's panels and chronology events
        # register themselves on import.
        import transitions.pupil_page  # noqa: F401 (imported for its registrations)

        # The register (a feature of the pupils app) finds Year 9 and above without preparing
        # for adulthood outcomes through its extension point.
        from pupils.filters import contribute_filter
        from transitions.filters import WITHOUT_PFA

        contribute_filter("without_pfa", WITHOUT_PFA)

        # --- access_arrangements ---
        # A subject access export holds everything about the pupil, their exam access
        # arrangements and the assessments behind them included.
        from pupils.selectors.subject_access import contribute_part
        from transitions.selectors.access_arrangements import access_arrangement_parts

        contribute_part(access_arrangement_parts)

        # --- transfer_packs and arrivals ---
        # The leavers list (a feature of the pupils app) shows when each leaver's CTF and
        # educational record are due and whether their transfer pack went.
        from pupils.selectors.leavers import contribute_leaver_column
        from transitions.selectors.transfer_packs import leavers_transfer_column

        contribute_leaver_column(leavers_transfer_column)

        # A subject access export holds everything about the pupil: their transfer packs and
        # the records packs brought from previous schools too.
        from pupils.selectors.subject_access import contribute_part
        from transitions.selectors.arrivals import transfer_pack_parts

        contribute_part(transfer_pack_parts)
