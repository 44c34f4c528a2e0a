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

# transfer_packs: the SENCO team makes and sends a leaver's pack; leadership may read it. The pack
# holds the whole SEN file (and, when ticked, health documents), so never the classroom.
PACK_WORKERS = SENCO_TEAM
PACK_READERS = TRANSITION_READERS

# arrivals: the receiving school's SENCO team reviews, imports or declines an arriving pack.
ARRIVAL_WORKERS = SENCO_TEAM
