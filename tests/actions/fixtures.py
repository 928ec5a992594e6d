"""Helpers behind the fixtures of the actions, staff and API tests of actions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from mizan.actions.indicators import computed_figure, forget_figure


class FakeFigure:
    """A computed figure registered for one test; ``result`` is what it computes."""

    name = "test_sessions_held"

    def __init__(self) -> None:
        self.result = Decimal(7)


@contextmanager
def registered_figure() -> Iterator[FakeFigure]:
    """Register a figure "Sessions held" (unit: sessions) for the length of a test."""
    fake = FakeFigure()
    computed_figure(fake.name, label="Sessions held", unit="sessions")(
        lambda action, as_of: fake.result
    )
    try:
        yield fake
    finally:
        forget_figure(fake.name)
