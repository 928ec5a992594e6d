"""Who may read and change the registry.

The registry holds public UN texts, so every member of an institution may read it; only
coordinators (and administrators) change it, import into it, tag and assign.
"""

from typing import Any

import rules

from mizan.accounts.enums import Role
from mizan.accounts.rules import is_admin, is_coordinator, is_member, is_nhri_coordinator
from mizan.institutions.queries import institutions_acted_for

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


@rules.predicate
def is_focal_point_of_assignee(user: Any, recommendation: Any) -> bool:
    """A focal point of an institution (or of a unit's parent) the recommendation is
    assigned to, as lead or contributing."""
    if recommendation is None:
        return False
    acted_for = institutions_acted_for(user, Role.FOCAL_POINT)
    return any(a.institution_id in acted_for for a in recommendation.assignments.all())


# The state's voice: the assigned institutions' focal points, or a coordinator who enters
# what the state reported. The NHRI's voice: the NHRI's own coordinators only.
rules.add_perm("recommendations.assess_as_state", is_coordinator | is_focal_point_of_assignee)
rules.add_perm("recommendations.assess_as_nhri", is_nhri_coordinator)
rules.add_perm("recommendations.view_assessment", can_view_registry)
