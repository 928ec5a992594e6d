"""Builders of the roster and duplicate tests: roster files in CSV and XLSX, and people
enrolled in sessions of another institution."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl

from mizan.accounts.enums import Role
from mizan.training.services import sessions as session_services
from tests.factories import InstitutionFactory, user_with_role
from tests.training.builders import make_participant, make_session

HEADER = ("name_latin", "name_arabic", "sex", "rank", "institution", "service_number", "email")

ROWS = (
    ("Samira Bennani", "سميرة بناني", "female", "Inspector", "police", "P-1001", "s@example.org"),
    ("Youssef Tazi", "يوسف التازي", "M", "Officer", "police", "P-1002", ""),
    ("Nadia Alaoui", "", "femme", "Commissioner", "", "", ""),
)


def csv_bytes(
    rows: Sequence[Sequence[Any]] = ROWS,
    header: Sequence[str] = HEADER,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]] = ROWS, header: Sequence[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def gendarmerie_session(**fields: Any):
    """A session organised by another institution (the gendarmerie), by its own focal
    point: the police organiser sees none of its people."""
    gendarmerie = InstitutionFactory(code="gendarmerie", kind="law_enforcement")
    other = user_with_role(Role.FOCAL_POINT, gendarmerie, username="gendarme")
    session = make_session(
        other,
        title="Tanger, gendarmerie session",
        organisers=[gendarmerie],
        code="gendarmerie-course",
        **fields,
    )
    return session, other


def enrolled(session: Any, by: Any = None, **fields: Any):
    """A participant enrolled (approved) in ``session``."""
    participant = make_participant(by, **fields)
    session_services.enrol(session=session, participant=participant, by=by)
    return participant
