"""Reading the institution tree: units below an institution, and which institutions a
person acts for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mizan.institutions.enums import InstitutionKind
from mizan.institutions.models import Institution


def with_units(institution_ids: Iterable[int]) -> set[int]:
    """The given institutions and every unit below them, at any depth."""
    found = set(institution_ids)
    frontier = set(found)
    while frontier:
        children = set(
            Institution.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - found
        found |= frontier
    return found


def with_parents(institution_ids: Iterable[int]) -> set[int]:
    """The given institutions and every institution above them."""
    parents = dict(Institution.objects.values_list("id", "parent_id"))
    found: set[int] = set()
    for institution_id in institution_ids:
        current: int | None = institution_id
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
    return found


def institutions_acted_for(user: Any, *roles: str) -> frozenset[int]:
    """Ids of the institutions where ``user`` holds one of ``roles`` (any role if none is
    given), and of the units below them: a directorate's focal point acts for its units.
    Cached on the user object for the length of a request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache: dict[tuple[str, ...], frozenset[int]] = user.__dict__.setdefault(
        "_mizan_institutions", {}
    )
    key = tuple(sorted(roles))
    if key not in cache:
        memberships = user.memberships.all()
        if roles:
            memberships = memberships.filter(role__in=roles)
        cache[key] = frozenset(with_units(memberships.values_list("institution_id", flat=True)))
    return cache[key]


def member_institutions(user: Any) -> frozenset[int]:
    """The institutions a user belongs to (any role), their units, and those above them:
    a unit's staff see what their directorate signed."""
    direct = institutions_acted_for(user)
    return frozenset(with_parents(direct) | direct)


def nhri_ids() -> set[int]:
    return set(Institution.objects.filter(kind=InstitutionKind.NHRI).values_list("id", flat=True))


def institution_tree() -> list[tuple[Institution, int]]:
    """Every institution with its depth, parents before their units, siblings by name."""
    institutions = list(Institution.objects.all())
    children: dict[int | None, list[Institution]] = {}
    for institution in institutions:
        children.setdefault(institution.parent_id, []).append(institution)
    for siblings in children.values():
        siblings.sort(key=lambda i: i.name.casefold())
    ordered: list[tuple[Institution, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for child in children.get(parent_id, []):
            ordered.append((child, depth))
            walk(child.id, depth + 1)

    walk(None, 0)
    return ordered
