from datetime import date

from pupils.factories import SenStatusChangeFactory
from pupils.models import SenStatus
from pupils.pupil_page import ChronologyEvent, chronology, register_source


def test_status_changes_appear_newest_first(senco, taught_pupil):
    SenStatusChangeFactory(
        pupil=taught_pupil, status=SenStatus.MONITORING, primary_need=None, effective_from=date(2026, 1, 5)
    )
    SenStatusChangeFactory(pupil=taught_pupil, status=SenStatus.SEN_SUPPORT, effective_from=date(2026, 3, 2))
    titles = [
        (event.on, event.title) for event in chronology(taught_pupil, senco) if event.kind == "sen_status"
    ]
    assert titles == [
        (date(2026, 3, 2), "SEN status: SEN support"),
        (date(2026, 1, 5), "SEN status: Monitoring"),
    ]


def test_another_apps_source_joins_the_same_timeline(senco, taught_pupil):
    def visits(pupil, user):
        return [ChronologyEvent(on=date(2026, 2, 1), kind="visit", title="Visit")]

    register_source(visits)
    try:
        assert [event.kind for event in chronology(taught_pupil, senco)] == ["visit"]
    finally:
        from pupils import pupil_page as module

        module._sources.remove(visits)
