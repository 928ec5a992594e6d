"""Predicates about who a user is: their roles across institutions."""

from __future__ import annotations

from typing import Any

import rules

from mizan.accounts.enums import Role
from mizan.institutions.enums import InstitutionKind


def has_role(*roles: str) -> Any:
    """A predicate true for a user holding any of ``roles`` in any institution."""
    wanted = set(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user: Any) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return bool(wanted & user.roles())

    return predicate


is_admin = has_role(Role.ADMIN) | rules.is_superuser
is_coordinator = has_role(Role.COORDINATOR, Role.ADMIN) | rules.is_superuser
is_member = has_role(*Role.values) | rules.is_superuser
is_focal_point = has_role(Role.FOCAL_POINT)


@rules.predicate
def is_nhri_coordinator(user: Any) -> bool:
    """A coordinator or administrator of a national human rights institution (or a
    superuser): the voice of the NHRI's independent assessment."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(
        role in (Role.COORDINATOR, Role.ADMIN) and kind == InstitutionKind.NHRI
        for role, kind in user.roles_by_institution_kind()
    )
