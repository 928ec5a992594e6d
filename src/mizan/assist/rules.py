"""Who may use the assistant.

Reading suggestions, searching by meaning and reading clusters is for every member, like
the registry itself. Accepting or rejecting a suggestion changes the registry's tags, so it
needs the right to tag (coordinators). Reading a document in (intake), running the
suggester and deciding on clusters are coordinators' work too.
"""

from __future__ import annotations

import rules

from mizan.accounts.rules import is_coordinator, is_member

rules.add_perm("assist.view_suggestions", is_member)
rules.add_perm("assist.review_suggestions", is_coordinator)
rules.add_perm("assist.search_by_meaning", is_member)
rules.add_perm("assist.intake_document", is_coordinator)
rules.add_perm("assist.view_clusters", is_member)
rules.add_perm("assist.decide_clusters", is_coordinator)
rules.add_perm("assist.run_assistant", is_coordinator)
