"""Builders of the cascade tests: a session's participant reports a cascade session, a
relay trainer trained there reports the next generation, and so on."""

from __future__ import annotations

import datetime
from typing import Any

from mizan.institutions.models import Institution
from mizan.training.models import CascadeSession, Participant
from mizan.training.services.cascades import (
    AudienceCount,
    register_relay_trainer,
    report_cascade,
)


def give_cascade(
    reporter: Participant,
    *,
    women: int = 5,
    men: int = 7,
    institution: Institution | None = None,
    held_on: datetime.date = datetime.date(2026, 4, 10),
    place: str = "Nador",
    by: Any = None,
) -> CascadeSession:
    return report_cascade(
        reporter=reporter,
        held_on=held_on,
        place=place,
        audience=[AudienceCount(institution, women, men)],
        by=by,
    )


def relay_in(cascade: CascadeSession, name: str, by: Any = None, sex: str = "male") -> Participant:
    """A relay trainer trained in ``cascade``."""
    relay = register_relay_trainer(cascade=cascade, name_latin=name, sex=sex, by=by)
    return relay.participant
