"""Reading and attributing the audit trail kept by django-simple-history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

CHANGE_KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def acting_user(by: Any) -> Any:
    """The account behind ``by``, for a ``created_by``-style field: None for a
    participant acting through a personal link, a command run by no one, or an
    anonymous request."""
    return by if getattr(by, "is_authenticated", False) else None


def attribute_change(instance: models.Model, *, user: Any, reason: str = "") -> None:
    """Record ``user`` and ``reason`` on the history row the next save of ``instance`` writes."""
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user  # type: ignore[attr-defined]
    # django-simple-history keeps the reason on the instance: drop an earlier one, so it is
    # not repeated on a later save that gives none.
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]
    elif hasattr(instance, "_change_reason"):
        del instance._change_reason


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    when: datetime
    who: Any
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)
    label: str = ""


def history_of(instance: models.Model) -> list[HistoryEntry]:
    """The record's history, newest first, each entry with the fields it changed."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")  # type: ignore[attr-defined]
    )
    return _entries(records, {})


def history_of_related(records: Iterable[Any], label: str) -> list[HistoryEntry]:
    """History rows of several records (e.g. a recommendation's texts), each diffed against
    the previous row of the same record."""
    by_record: dict[Any, list[Any]] = {}
    for record in records:
        by_record.setdefault(record.id, []).append(record)
    entries: list[HistoryEntry] = []
    names: dict[tuple[Any, Any], str] = {}
    for rows in by_record.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
        entries += _entries(rows, names)
    for entry in entries:
        entry.label = label
    return entries


def _entries(records: list[Any], names: dict[tuple[Any, Any], str]) -> list[HistoryEntry]:
    """``names`` caches related records' names, so each is read once per page."""
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            model = record.instance_type
            changes = [
                FieldChange(
                    _label(model, c.field),
                    _display(model, c.field, c.old, names),
                    _display(model, c.field, c.new, names),
                )
                for c in delta.changes
            ]
        elif record.history_type in {"+", "-"}:
            changes = _values(record, names)
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=str(CHANGE_KINDS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


SKIPPED_FIELDS = {"id", "created_at", "updated_at", "tagged_at", "assigned_at"}


def _values(record: Any, names: dict[tuple[Any, Any], str]) -> list[FieldChange]:
    """The non-empty values of a record as created (or as it was when deleted)."""
    values = []
    for model_field in record.instance_type._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS:
            continue
        value = getattr(record, model_field.attname, None)
        if value not in (None, "", {}, []):
            values.append(
                FieldChange(
                    str(model_field.verbose_name),
                    None,
                    _display(record.instance_type, model_field.name, value, names),
                )
            )
    return values


def _label(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _display(model: Any, name: str, value: Any, names: dict[tuple[Any, Any], str]) -> str:
    """A stored value as a reader understands it: choice labels, related records' names,
    local dates, translated labels."""
    if value is None or value == "":
        return ""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.many_to_many and isinstance(value, list):
        # django-simple-history gives a many-to-many field's value as its through rows.
        related_model = model_field.related_model
        column = model_field.m2m_reverse_field_name()
        shown = []
        for row in value:
            key = (related_model, row.get(column) if isinstance(row, dict) else row)
            if key not in names:
                record = related_model._default_manager.filter(pk=key[1]).first()
                names[key] = str(record) if record is not None else f"#{key[1]}"
            shown.append(names[key])
        return ", ".join(shown)
    if model_field.many_to_one:
        key = (model_field.related_model, value)
        if key not in names:
            related = model_field.related_model._default_manager.filter(pk=value).first()
            names[key] = str(related) if related is not None else f"#{value}"
        return names[key]
    if isinstance(value, datetime):
        return str(formats.localize(timezone.localtime(value)))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict):
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)
