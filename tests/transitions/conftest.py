import pytest


@pytest.fixture
def today_is(monkeypatch):
    """Set the day the views take as today (`timezone.localdate`)."""

    def set_today(day):
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)

    return set_today
