"""Evidence files are read by every member: they back up public accountability
(actions, assessments, agreements), never participants' personal data."""

import rules

from mizan.accounts.rules import is_member

rules.add_perm("evidence.view_evidencefile", is_member)
