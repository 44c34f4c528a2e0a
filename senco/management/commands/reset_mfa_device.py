from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from senco.models import User
from senco.services.sign_in import reset_mfa_device


class Command(BaseCommand):
    help = (
        "Reset a user's lost sign-in device (authenticator app and recovery codes), for support when "
        "nobody at their school can: a superuser, or a school's only head and administrator. "
        "Audited, with no one named as who did it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        try:
            reset_mfa_device(user=user, by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{user}'s sign-in device is reset: they set up a new one when they next sign in.")
