"""Who may do what with pupils' moves between settings and their exam access arrangements (403
territory, R5).

The SENCO team plans and records moves, makes and sends transfer packs and receives them, and
keeps access arrangements; the head and senior leaders read all of it. Teachers and TAs see, for
the pupils they teach or support, their transition plans and access arrangements (so they use
them in class and mocks), never the pack's health documents. The exams officer sees the access
arrangements list for each exam series and nothing else. Governors see none of it."""

from senco.models import CLASSROOM, LEADERSHIP, SENCO_TEAM

TRANSITION_WORKERS = SENCO_TEAM
TRANSITION_READERS = (*SENCO_TEAM, *LEADERSHIP)
# Transition plans and access arrangements, for the pupils one teaches or supports.
CLASSROOM_READERS = (*TRANSITION_READERS, *CLASSROOM)
ARRANGEMENT_WRITERS = SENCO_TEAM
