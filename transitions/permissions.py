"""Who may do what with pupils' moves between settings and their exam access arrangements (403
territory, R5).

The SENCO team plans and records moves, makes and sends transfer packs and receives them, and
keeps access arrangements; the head and senior leaders read all of it. Teachers and TAs see, for
the pupils they teach or support, their transition plans and access arrangements (so they use
them in class and mocks), never the pack's health documents. The exams officer sees the access
arrangements list for each exam series and nothing else. Governors see none of it."""

from senco.models import CLASSROOM, LEADERSHIP, SENCO_TEAM, Role

TRANSITION_WORKERS = SENCO_TEAM
TRANSITION_READERS = (*SENCO_TEAM, *LEADERSHIP)
# Transition plans and access arrangements, for the pupils one teaches or supports.
CLASSROOM_READERS = (*TRANSITION_READERS, *CLASSROOM)
ARRANGEMENT_WRITERS = SENCO_TEAM

# --- access_arrangements ---
# Teachers record an arrangement as the normal way of working of the pupils they teach (AARA
# 2025/26, paragraph 4.2); the SENCO team records it too.
NORMAL_WAY_RECORDERS = (*SENCO_TEAM, Role.TEACHER)
# The list of each exam series, with only what running the exams needs: the SENCO team, who
# lead on arrangements, leadership, and the exams officer, who sees nothing else.
EXAM_SERIES_READERS = (*SENCO_TEAM, *LEADERSHIP, Role.EXAMS_OFFICER)

# transfer_packs: the SENCO team makes and sends a leaver's pack; leadership may read it. The pack
# holds the whole SEN file (and, when ticked, health documents), so never the classroom.
PACK_WORKERS = SENCO_TEAM
PACK_READERS = TRANSITION_READERS

# arrivals: the receiving school's SENCO team reviews, imports or declines an arriving pack.
ARRIVAL_WORKERS = SENCO_TEAM
