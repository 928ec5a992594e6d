"""Factories of actions, indicators and progress reports, and small files to upload."""

from __future__ import annotations

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from mizan.actions.enums import ActionKind
from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport
from tests.factories import InstitutionFactory

#: The smallest file libmagic reads as a PDF.
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
HTML_PAGE = b"<!DOCTYPE html>\n<html><head><title>x</title></head><body>Hi</body></html>\n"


def pdf_upload(name: str = "report.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def html_named_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("report.pdf", HTML_PAGE, content_type="application/pdf")


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    title = factory.Sequence(lambda n: f"Train officers, round {n + 1}")
    kind = ActionKind.TRAINING
    lead_institution = factory.LazyFunction(
        lambda: InstitutionFactory(code="police", kind="law_enforcement")
    )
    starts_on = datetime.date(2025, 1, 1)
    due_on = datetime.date(2030, 12, 31)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    name = "Officers trained"
    unit = "officers"
    baseline = 0
    target = 500


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = datetime.date(2025, 3, 31)
    value = 120
    source = "Training register"


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    action = factory.SubFactory(ActionFactory)
    period_start = datetime.date(2025, 1, 1)
    period_end = datetime.date(2025, 3, 31)
    summary = "Two sessions held in Rabat."
