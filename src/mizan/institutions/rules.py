"""Who may read and change institutions: every member reads the directory; coordinators
and administrators keep it."""

import rules

from mizan.accounts.rules import is_coordinator, is_member

rules.add_perm("institutions.view_institution", is_member)
rules.add_perm("institutions.add_institution", is_coordinator)
rules.add_perm("institutions.change_institution", is_coordinator)
