"""Words the demo's texts share: a pupil's pronouns, and who "the teacher" is in each phase.

Texts about a pupil are written with {He}, {he}, {him} and {his} and given each pupil's own.
The census records a pupil's gender as F or M (`pupils.models.Gender`, which every pupil has),
so a demo pupil is "she" or "he": never "they", which would also need the verbs after it
changed ("they try", not "they tries").
"""

from pupils.models import Gender
from senco.models import Phase

PRONOUNS = {
    Gender.FEMALE: {"He": "She", "he": "she", "him": "her", "his": "her"},
    Gender.MALE: {"He": "He", "he": "he", "him": "him", "his": "his"},
}
# The teacher who knows a pupil best and comes to their meetings: at a primary school their
# class teacher; at a secondary school their form tutor, who sees them every day and gathers
# what their subject teachers say.
TEACHER = {Phase.PRIMARY: "class teacher", Phase.SECONDARY: "form tutor"}


def about(text: str, gender: str) -> str:
    """`text` with the pronouns of a pupil of `gender`."""
    return text.format(**PRONOUNS[gender])
