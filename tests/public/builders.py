"""Builders of the public portal's tests: a training action whose one session trained
officers in given groups, each officer with a distinctive name, e-mail address, service
number and evaluation comment, so that a test can look for them where they must not be."""

from __future__ import annotations

import datetime
from typing import Any

from mizan.actions.models import Action
from mizan.training.enums import EvaluationKind
from mizan.training.models import Evaluation
from mizan.training.services import sessions as session_services
from tests.actions.factories import ActionFactory
from tests.training.analytics_builders import attend, enrol, small_version
from tests.training.builders import make_participant, nhri, police


def secret(kind: str, region: str, n: int) -> str:
    """A string that belongs to one person and must never reach the portal."""
    return f"Zq{kind}{region.replace(' ', '')}{n}x"


def trained_action(
    groups: dict[str, int],
    *,
    code: str = "portal",
    title: str = "Training of border police on migrants' rights",
    by: Any = None,
    evaluations: bool = True,
) -> Action:
    """A training action with one session that trained ``groups[region]`` officers of
    each region (alternately women and men), all present; each leaves an end-of-course
    evaluation with a comment when ``evaluations``."""
    version = small_version(by, code=code)
    action = ActionFactory(title=title)
    total = sum(groups.values())
    session = session_services.create_session(
        action=action,
        version=version,
        title=f"{title}, first session",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 2),
        city="Oujda",
        region="Oriental",
        organisers=[police(), nhri()],
        capacity=max(total, 1),
        by=by,
    )
    for region, count in groups.items():
        for n in range(count):
            person = make_participant(
                by,
                name_latin=secret("Name", region, n),
                name_arabic="",
                sex="female" if n % 2 == 0 else "male",
                region=region,
                rank="Agent",
                service_number=secret("Svc", region, n),
                email=f"{secret('Mail', region, n).lower()}@example.org",
            )
            enrolment = enrol(session, person, by)
            attend(enrolment, "present", "present")
            if evaluations:
                Evaluation.objects.create(
                    session=session,
                    kind=EvaluationKind.FINAL,
                    day=0,
                    enrolment=enrolment,
                    respondent_key=f"key-{region}-{n}",
                    relevance=4,
                    content=4,
                    methods=5,
                    trainers=4,
                    organisation=3,
                    overall=4,
                    comment=secret("Comment", region, n),
                )
    return action
