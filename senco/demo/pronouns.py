"""A pupil's pronouns in the demo's texts. Texts about a pupil are written with {He}, {he},
{him} and {his} and given each pupil's own. The census records a pupil's gender as F or M
(`pupils.models.Gender`, which every pupil has), so a demo pupil is "she" or "he": never "they",
which would also need the verbs after it changed ("they try", not "they tries")."""

from pupils.models import Gender

PRONOUNS = {
    Gender.FEMALE: {"He": "She", "he": "she", "him": "her", "his": "her"},
    Gender.MALE: {"He": "He", "he": "he", "him": "him", "his": "his"},
}


def about(text: str, gender: str) -> str:
    """`text` with the pronouns of a pupil of `gender`."""
    return text.format(**PRONOUNS[gender])
