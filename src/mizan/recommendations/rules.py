"""Who may read and change the registry.

The registry holds public UN texts, so every member of an institution may read it; only
coordinators (and administrators) change it, import into it, tag and assign.
"""

import rules

from mizan.accounts.rules import is_admin, is_coordinator, is_member

can_view_registry = is_member
can_edit_registry = is_coordinator
can_manage_vocabularies = is_coordinator

rules.add_perm("recommendations.view_recommendation", can_view_registry)
rules.add_perm("recommendations.add_recommendation", can_edit_registry)
rules.add_perm("recommendations.change_recommendation", can_edit_registry)
rules.add_perm("recommendations.delete_recommendation", is_admin | is_coordinator)
rules.add_perm("recommendations.import_recommendations", can_edit_registry)
rules.add_perm("recommendations.export_recommendations", can_view_registry)
rules.add_perm("recommendations.tag_recommendation", can_edit_registry)
rules.add_perm("recommendations.assign_recommendation", can_edit_registry)
rules.add_perm("recommendations.view_history", can_view_registry)
rules.add_perm("recommendations.view_sourcedocument", can_view_registry)
rules.add_perm("recommendations.add_sourcedocument", can_edit_registry)
rules.add_perm("recommendations.change_sourcedocument", can_edit_registry)
rules.add_perm("recommendations.view_vocabulary", can_view_registry)
rules.add_perm("recommendations.add_vocabulary", can_manage_vocabularies)
rules.add_perm("recommendations.change_vocabulary", can_manage_vocabularies)
rules.add_perm("recommendations.view_tagging", can_view_registry)
rules.add_perm("recommendations.add_tagging", can_edit_registry)
rules.add_perm("recommendations.confirm_tagging", can_edit_registry)
rules.add_perm("recommendations.delete_tagging", can_edit_registry)
