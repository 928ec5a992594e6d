"""Who may read and change curricula and their question bank.

Every member reads curricula, their versions and modules: they describe what officers are
taught. Coordinators (the NHRI's, and administrators) and trainers write them: curricula
are written by the NHRI and the partner institutions' trainers together, so a trainer
may change any curriculum, not only one their institution keeps.

The question bank holds the correct answers, so only coordinators and trainers read it:
not viewers, focal points or committee members, whose accounts may be shared with future
participants. A frozen version changes for no one; the services refuse and say why.
"""

from __future__ import annotations

import rules

from mizan.accounts.enums import Role
from mizan.accounts.rules import has_role, is_coordinator, is_member

is_trainer = has_role(Role.TRAINER)
can_write_curricula = is_coordinator | is_trainer
can_see_question_bank = is_coordinator | is_trainer

rules.add_perm("training.view_curriculum", is_member)
rules.add_perm("training.add_curriculum", can_write_curricula)
rules.add_perm("training.change_curriculum", can_write_curricula)
rules.add_perm("training.view_question", can_see_question_bank)
rules.add_perm("training.change_question", can_see_question_bank)
