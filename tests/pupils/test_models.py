from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pupils.factories import PupilFactory, make_temporary_upn, make_upn
from pupils.models import NeedType, Pupil, SenStatus, SenStatusChange, upn_check_letter, validate_upn


def test_the_dfe_example_upn_is_valid():
    assert upn_check_letter("801200005001") == "B"
    validate_upn("B801200005001")


@pytest.mark.parametrize(
    "upn",
    [
        "A801200005001",
        "B80120000500",
        "I801200005001",
        "b801200005001",
        "B8012000050\u06601",  # an Arabic-Indic zero: its check letter would still be B
        "B\uff18\uff10\uff11200005001",  # full-width digits
        "B801200005001\n",
    ],
)
def test_bad_upns_are_refused(upn):
    with pytest.raises(ValidationError):
        validate_upn(upn)


def test_a_temporary_upn_ends_in_a_letter_that_counts_towards_the_check():
    # Digits x weights: 8x2 + 1x4 + 2x5 + 5x10 = 80. The final letter adds its place in the
    # check alphabet x 13: A (0) leaves 80, 80 mod 23 = 11, M; C (2) makes 106, 106 mod 23 = 14, Q.
    assert (upn_check_letter("80120000500A"), upn_check_letter("80120000500C")) == ("M", "Q")
    validate_upn("Q80120000500C")
    with pytest.raises(ValidationError, match="check letter is wrong"):
        validate_upn("M80120000500C")


def _problems(upn: str) -> list[str]:
    try:
        validate_upn(upn)
    except ValidationError as error:
        return error.messages
    return []


def test_made_upns_are_built_from_their_parts_and_always_validate():
    # The DfE's example: LA 801, establishment 2000, issued in 2005, serial 001.
    assert make_upn(la_code="801", establishment="2000", year_of_issue=2005, serial=1) == "B801200005001"
    made = [make_upn(la_code="801", establishment="2000", year_of_issue=2019, serial=n) for n in range(200)]
    refused = {upn: problems for upn in made if (problems := _problems(upn))}
    assert (len(set(made)), refused) == (200, {})


def test_there_are_fourteen_census_need_types_including_down_syndrome(db):
    assert NeedType.objects.count() == 14
    assert NeedType.objects.get(code="DS").name == "Down syndrome"


def _change(pupil, **fields):
    return SenStatusChange(pupil=pupil, effective_from=date(2026, 9, 1), reason="test", **fields)


def test_sen_support_needs_a_primary_need(db):
    with pytest.raises(ValidationError, match="needs a primary need"):
        _change(PupilFactory(), status=SenStatus.SEN_SUPPORT).full_clean()


def test_no_need_type_may_be_recorded_for_a_pupil_not_on_the_register(db):
    with pytest.raises(ValidationError, match="Only pupils on SEN support"):
        _change(
            PupilFactory(), status=SenStatus.MONITORING, primary_need=NeedType.objects.get(code="MLD")
        ).full_clean()


def test_nsa_is_only_valid_with_sen_support(db):
    nsa = NeedType.objects.get(code="NSA")
    _change(PupilFactory(), status=SenStatus.SEN_SUPPORT, primary_need=nsa).full_clean()
    with pytest.raises(ValidationError, match="only valid with SEN support"):
        _change(PupilFactory(), status=SenStatus.EHC_PLAN, primary_need=nsa).full_clean()


def test_secondary_need_must_differ_from_primary(db):
    asd = NeedType.objects.get(code="ASD")
    with pytest.raises(ValidationError, match="must differ"):
        _change(PupilFactory(), status=SenStatus.EHC_PLAN, primary_need=asd, secondary_need=asd).full_clean()


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(2018, 4, 9), date(2026, 4, 8), 7),
        (date(2018, 4, 9), date(2026, 4, 9), 8),  # the birthday itself
        (date(2018, 12, 31), date(2027, 1, 1), 8),  # over the new year
        (date(2016, 2, 29), date(2027, 2, 28), 10),  # a leapling in a common year ...
        (date(2016, 2, 29), date(2027, 3, 1), 11),  # ... is a year older on 1 March
        (date(2016, 2, 29), date(2028, 2, 29), 12),
    ],
)
def test_age_is_whole_years_completed_on_the_day(born, today, age):
    assert Pupil(date_of_birth=born).age_on(today) == age


def test_a_temporary_upn_is_told_apart_from_a_permanent_one():
    parts = {"la_code": "936", "establishment": "2417", "year_of_issue": 2026, "serial": 7}
    validate_upn(make_temporary_upn(**parts))
    assert (
        Pupil(upn=make_temporary_upn(**parts)).has_temporary_upn,
        Pupil(upn=make_upn(**parts)).has_temporary_upn,
    ) == (
        True,
        False,
    )


def test_each_status_names_the_census_code_it_is_recorded_as():
    assert [(status.census_code, status.census_label) for status in SenStatus] == [
        ("N", "No SEN (N)"),
        ("N", "Monitoring (recorded as N in the census)"),
        ("K", "SEN support (K)"),
        ("E", "EHC plan (E)"),
    ]
