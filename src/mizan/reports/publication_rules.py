"""Who may put records on the public portal, and take them off: coordinators only.

Imported by :mod:`mizan.reports.publication` and by the staff views that publish, so the
rule exists wherever it is checked.
"""

from __future__ import annotations

import rules

from mizan.accounts.rules import is_coordinator

PUBLISH = "reports.publish"

if not rules.perm_exists(PUBLISH):
    rules.add_perm(PUBLISH, is_coordinator)
