from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "transitions"
    verbose_name = "Transitions and exam access arrangements"

    def ready(self) -> None:
        # --- access_arrangements ---
        import transitions.pupil_page  # noqa: F401 (registers the app's panels and events)

        # A subject access export holds everything about the pupil, their exam access
        # arrangements and the assessments behind them included.
        from pupils.selectors.subject_access import contribute_part
        from transitions.selectors.access_arrangements import access_arrangement_parts

        contribute_part(access_arrangement_parts)
