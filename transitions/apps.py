from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "transitions"
    verbose_name = "Transitions and exam access arrangements"

    def ready(self) -> None:
        # transfer_packs and arrivals: the packs made, sent and imported, and the history they
        # brought, on the pupil page.
        import transitions.pupil_page  # noqa: F401 (imported for its registrations)

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
