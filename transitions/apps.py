from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "transitions"
    verbose_name = "Transitions and exam access arrangements"

    def ready(self) -> None:
        # --- access_arrangements ---
        import transitions.pupil_page  # noqa: F401 (registers the app's panels and events)
