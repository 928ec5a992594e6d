"""Who sees their work and keeps a calendar address.

Every member of an institution has a "my work" page and may create or reset their own
calendar address; pages and endpoints only ever act on the requesting user's own work and
feed, so no one reaches another person's.
"""

from __future__ import annotations

import rules

from mizan.accounts.rules import is_member

rules.add_perm("reminders.view_work", is_member)
rules.add_perm("reminders.manage_calendar_feed", is_member)
