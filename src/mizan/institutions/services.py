"""Keeping the institution directory: institutions, their place in the hierarchy, and who
belongs to them in which role. Each operation validates, writes in one transaction with
its history row attributed to ``by``, and returns what it changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mizan.accounts.enums import Role
from mizan.accounts.models import Membership, User
from mizan.accounts.rules import is_nhri_coordinator
from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError, Refused
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.institutions.enums import InstitutionKind
from mizan.institutions.models import Institution
from mizan.institutions.queries import with_units

INSTITUTION_FIELDS = ("code", "names", "acronym", "kind", "parent")


def _clean_names(names: Mapping[str, str]) -> dict[str, str]:
    cleaned = {
        language: (name or "").strip() for language, name in names.items() if (name or "").strip()
    }
    unknown = set(cleaned) - set(INTERFACE_LANGUAGES)
    if unknown:
        raise MizanError(
            _("Unknown language: %(language)s.") % {"language": ", ".join(sorted(unknown))},
            field="names",
        )
    if not cleaned:
        raise MizanError(_("Give the institution's name in at least one language."), field="names")
    return cleaned


def _clean_code(code: str, institution: Institution | None = None) -> str:
    code = (code or "").strip()
    if not code:
        raise MizanError(_("The code is required."), field="code")
    if slugify(code) != code:
        raise MizanError(
            _("Write the code in lower-case letters, digits and hyphens, e.g. %(example)s.")
            % {"example": slugify(code) or "police-directorate"},
            field="code",
        )
    clash = Institution.objects.filter(code=code)
    if institution is not None:
        clash = clash.exclude(pk=institution.pk)
    if clash.exists():
        raise MizanError(
            _("An institution with code %(code)s already exists.") % {"code": code}, field="code"
        )
    return code


def _check_kind(kind: str) -> None:
    if kind not in InstitutionKind.values:
        raise MizanError(_("Unknown kind: %(kind)s.") % {"kind": kind}, field="kind")


def _check_parent(institution: Institution | None, parent: Institution | None) -> None:
    """An institution cannot be part of itself, nor of one of its own units."""
    if parent is None or institution is None or institution.pk is None:
        return
    if parent.pk in with_units([institution.pk]):
        raise MizanError(
            _("%(institution)s cannot be part of itself or of one of its own units.")
            % {"institution": institution},
            field="parent",
        )


def _check_keeps_nhri(by: Any, *kinds: str) -> None:
    """Only the NHRI's own coordinators change an NHRI, its members, or which institutions
    are NHRIs: its coordinators are the NHRI's voice in the two-voice assessments, so no one
    else may give themselves that voice. ``by`` None is the system (the CLI, the demo)."""
    if by is None or InstitutionKind.NHRI not in kinds or is_nhri_coordinator(by):
        return
    raise Refused(
        _(
            "Only a coordinator of the national human rights institution may change it "
            "or its members."
        )
    )


@transaction.atomic
def create_institution(
    *,
    code: str,
    names: Mapping[str, str],
    kind: str,
    acronym: str = "",
    parent: Institution | None = None,
    by: Any = None,
) -> Institution:
    """Add an institution to the directory, at the top or as a unit of ``parent``."""
    _check_kind(kind)
    _check_keeps_nhri(by, kind)
    institution = Institution(
        code=_clean_code(code),
        names=_clean_names(names),
        kind=kind,
        acronym=acronym.strip(),
        parent=parent,
    )
    attribute_change(institution, user=by)
    institution.save()
    return institution


@transaction.atomic
def update_institution(*, institution: Institution, by: Any = None, **changes: Any) -> Institution:
    """Change an institution's code, names, acronym, kind or parent."""
    unknown = set(changes) - set(INSTITUTION_FIELDS)
    if unknown:
        raise MizanError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "code" in changes:
        changes["code"] = _clean_code(changes["code"], institution)
    if "names" in changes:
        changes["names"] = _clean_names(changes["names"])
    if "kind" in changes:
        _check_kind(changes["kind"])
    _check_keeps_nhri(by, institution.kind, changes.get("kind", institution.kind))
    if "acronym" in changes:
        changes["acronym"] = (changes["acronym"] or "").strip()
    if "parent" in changes:
        _check_parent(institution, changes["parent"])
    for name, value in changes.items():
        setattr(institution, name, value)
    attribute_change(institution, user=by)
    institution.save()
    return institution


@transaction.atomic
def add_membership(
    *, institution: Institution, user: User, role: str, by: Any = None
) -> Membership:
    """Give ``user`` a role in ``institution`` (a focal point, a coordinator …)."""
    if role not in Role.values:
        raise MizanError(_("Unknown role: %(role)s.") % {"role": role}, field="role")
    if not user.is_active:
        raise MizanError(_("This account is deactivated."), field="user")
    _check_keeps_nhri(by, institution.kind)
    if Membership.objects.filter(user=user, institution=institution, role=role).exists():
        raise MizanError(
            _("%(user)s already has this role in %(institution)s.")
            % {"user": user, "institution": institution},
            field="user",
        )
    membership = Membership(user=user, institution=institution, role=role)
    attribute_change(membership, user=by)
    membership.save()
    return membership


@transaction.atomic
def remove_membership(*, membership: Membership, by: Any = None) -> None:
    """Take a role away; the history keeps who held it, and who removed it."""
    _check_keeps_nhri(by, membership.institution.kind)
    attribute_change(membership, user=by)
    membership.delete()
