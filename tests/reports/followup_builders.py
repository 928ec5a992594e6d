"""Builders of the follow-up report tests: one UN document with three recommendations,
two assessed by both voices, answered by a training action (shared by two of them), a
small training action and a law; evidence, an indicator and an approved progress report.

Training: the large action has one session of 14 women and 12 men, all present, pre-test
40 and post-test 80 (a gain of 40 points); the small action 3 women and 2 men (every
figure hidden). Every participant's name starts with ``Officer-``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from mizan.actions.enums import ActionKind, ActionStatus, ProgressReportStatus
from mizan.actions.models import Action
from mizan.evidence.models import EvidenceFile
from mizan.recommendations.enums import AssessmentVoice, AssignmentRole, ImplementationStatus
from mizan.recommendations.models import (
    Assessment,
    Assignment,
    Recommendation,
    RecommendationText,
    SourceDocument,
)
from mizan.training.enums import TestStage
from tests.actions.factories import (
    ActionFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProgressReportFactory,
)
from tests.factories import (
    InstitutionFactory,
    MechanismFactory,
    RecommendationFactory,
    SourceDocumentFactory,
)
from tests.training.analytics_builders import (
    attend,
    enrol,
    session_of,
    small_version,
    take_test,
)
from tests.training.builders import make_participant

SYMBOL = "CMW/C/MAR/CO/2"
FIRST_TEXT = "Train border officials on the rights of migrant workers."
FIRST_TEXT_AR = "تدريب موظفي الحدود على حقوق العمال المهاجرين."
STATE_COMMENT = "Two training cycles were held in 2025."
NHRI_COMMENT = "Training began but does not yet reach the southern border posts."
FORMULA_TEXT = "=1+1 Ensure access to consular assistance."
LAW_TITLE = "Amend Law 02-03 on the entry and stay of foreigners"
PROGRESS_TEXT = "The bill was adopted by the Council of Government."
EVIDENCE_TITLE = "Decree on the training of border officials"
EVIDENCE_FILE = "decree-2025-114.pdf"
LAW_EVIDENCE = "Draft law as tabled"
TRAINING_TITLE = "Training of border police"
SMALL_TRAINING_TITLE = "Pilot course for consular staff"
NAME_PREFIX = "Officer-"


@dataclass
class Case:
    document: SourceDocument
    first: Recommendation
    second: Recommendation
    third: Recommendation
    training: Action
    small_training: Action
    law: Action


def evidence(name: str, description: str) -> EvidenceFile:
    return EvidenceFile.objects.create(
        file=f"evidence/00/{name}",
        name=name,
        content_type="application/pdf",
        size=1000,
        sha256="0" * 64,
        description=description,
    )


def assess(
    recommendation: Recommendation,
    voice: str,
    status: str,
    rationale: str,
    on: datetime.date,
    files: list[EvidenceFile] | None = None,
) -> Assessment:
    assessment = Assessment.objects.create(
        recommendation=recommendation,
        voice=voice,
        status=status,
        assessed_on=on,
        rationale=rationale,
    )
    assessment.evidence.set(files or [])
    field = "status" if voice == AssessmentVoice.STATE else "nhri_status"
    Recommendation.objects.filter(pk=recommendation.pk).update(**{field: status})
    return assessment


def trained_action(title: str, women: int, men: int, *, code: str, by: Any = None) -> Action:
    action = ActionFactory(title=title, kind=ActionKind.TRAINING, status=ActionStatus.IN_PROGRESS)
    version = small_version(by, code=code)
    session = session_of(action, version, starts_on=datetime.date(2026, 3, 2), by=by)
    session.capacity = women + men
    session.save()
    for n in range(women + men):
        person = make_participant(
            by,
            name_latin=f"{NAME_PREFIX}{code}-{n}",
            name_arabic=f"الضابط-{code}-{n}",
            sex="female" if n < women else "male",
        )
        enrolment = enrol(session, person, by)
        attend(enrolment, "present", "present")
        take_test(enrolment, TestStage.PRE, score=40)
        take_test(enrolment, TestStage.POST, score=80)
    return action


def follow_up_case() -> Case:
    mechanism = MechanismFactory(code="CMW", names={"en": "Committee on Migrant Workers"})
    document = SourceDocumentFactory(
        symbol=SYMBOL,
        mechanism=mechanism,
        title="Concluding observations on the second periodic report of Morocco",
        date=datetime.date(2023, 10, 4),
    )
    first = RecommendationFactory(document=document, paragraph="37(b)", text=FIRST_TEXT)
    RecommendationText.objects.create(
        recommendation=first, language="ar", text=FIRST_TEXT_AR, is_original=False
    )
    second = RecommendationFactory(
        document=document, paragraph="41", text="Collect data on migrants, by sex and age."
    )
    third = RecommendationFactory(document=document, paragraph="45(a)", text=FORMULA_TEXT)

    police = InstitutionFactory(
        code="police", kind="law_enforcement", names={"en": "General Directorate of Police"}
    )
    Assignment.objects.create(recommendation=first, institution=police, role=AssignmentRole.LEAD)

    decree = evidence(EVIDENCE_FILE, EVIDENCE_TITLE)
    assess(
        first,
        AssessmentVoice.STATE,
        ImplementationStatus.IMPLEMENTED,
        STATE_COMMENT,
        datetime.date(2025, 11, 3),
        [decree],
    )
    assess(
        first,
        AssessmentVoice.NHRI,
        ImplementationStatus.PARTIALLY_IMPLEMENTED,
        NHRI_COMMENT,
        datetime.date(2025, 12, 1),
    )
    assess(
        second,
        AssessmentVoice.STATE,
        ImplementationStatus.IN_PROGRESS,
        "A survey is planned.",
        datetime.date(2025, 6, 1),
    )

    training = trained_action(TRAINING_TITLE, 14, 12, code="border-rights")
    small_training = trained_action(SMALL_TRAINING_TITLE, 3, 2, code="consular")
    law = ActionFactory(title=LAW_TITLE, kind=ActionKind.LEGISLATION, status=ActionStatus.COMPLETED)
    law.evidence.set([evidence("draft-law.pdf", LAW_EVIDENCE)])
    indicator = IndicatorFactory(action=law, name="Articles amended", unit="articles", target=12)
    IndicatorValueFactory(indicator=indicator, measured_on=datetime.date(2025, 6, 30), value=4)
    IndicatorValueFactory(
        indicator=indicator, measured_on=datetime.date(2025, 12, 31), value=Decimal(9)
    )
    ProgressReportFactory(
        action=law,
        status=ProgressReportStatus.APPROVED,
        summary=PROGRESS_TEXT,
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    ProgressReportFactory(
        action=law,
        status=ProgressReportStatus.DRAFT,
        summary="Draft not yet approved.",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    training.recommendations.set([first, second])
    small_training.recommendations.set([first])
    law.recommendations.set([second])
    return Case(document, first, second, third, training, small_training, law)
