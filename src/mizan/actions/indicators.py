"""Computed indicators: a registry of named figures an indicator can be computed by.

An indicator whose ``computation`` names a registered figure gets its values from that
figure's function rather than from a person (see ``services.compute_indicator``). A
figure is a function of the action and a date that returns a number::

    @computed_figure("officers_trained", label=_("Officers trained"), unit=_("officers"))
    def officers_trained(action: Action, as_of: date) -> Decimal: ...

Another app registers its figures the same way, in a module of its own that its
``AppConfig.ready()`` imports, so the figures exist before any request or task runs::

    # mizan/training/apps.py
    class TrainingConfig(AppConfig):
        def ready(self) -> None:
            from mizan.training import figures  # noqa: F401  (registers the figures)

The names are stored in ``Indicator.computation``: once in use, a name must not change.
Mizan's own figures are registered by :func:`register_builtin_figures`, which
``ActionsConfig.ready()`` calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mizan.actions.enums import ProgressReportStatus
from mizan.core.errors import MizanError
from mizan.recommendations.enums import AssessmentVoice, ImplementationStatus
from mizan.recommendations.models import Assessment

if TYPE_CHECKING:
    from mizan.actions.models import Action

FigureFunction = Callable[["Action", date], Decimal | int | float]

#: Values are stored with two decimals (``IndicatorValue.value``).
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ComputedFigure:
    name: str
    label: Any
    unit: Any
    function: FigureFunction

    def compute(self, action: Action, as_of: date) -> Decimal:
        """The figure for ``action`` on ``as_of``, rounded as values are stored."""
        value = self.function(action, as_of)
        return Decimal(str(value)).quantize(TWO_PLACES)


_FIGURES: dict[str, ComputedFigure] = {}


def computed_figure(
    name: str, *, label: Any, unit: Any = ""
) -> Callable[[FigureFunction], FigureFunction]:
    """Register the decorated function as the figure called ``name``."""

    def register(function: FigureFunction) -> FigureFunction:
        current = _FIGURES.get(name)
        if current is not None and current.function is not function:
            raise ImproperlyConfigured(f"A computed figure called {name!r} is already registered.")
        _FIGURES[name] = ComputedFigure(name=name, label=label, unit=unit, function=function)
        return function

    return register


def forget_figure(name: str) -> None:
    """Remove a figure from the registry (for tests that register their own)."""
    _FIGURES.pop(name, None)


def computed_figures() -> list[ComputedFigure]:
    """Every registered figure, by name."""
    return [_FIGURES[name] for name in sorted(_FIGURES)]


def figure_choices() -> list[tuple[str, str]]:
    """(name, label) of every figure, for a form's choices."""
    return [(figure.name, str(figure.label)) for figure in computed_figures()]


def get_figure(name: str) -> ComputedFigure:
    """The figure called ``name``; a ``MizanError`` on ``computation`` if there is none."""
    figure = _FIGURES.get(name)
    if figure is None:
        raise MizanError(
            gettext("There is no computed figure called “%(name)s”.") % {"name": name},
            field="computation",
        )
    return figure


# --- Mizan's own figures -------------------------------------------------------------


def recommendations_implemented_share(action: Action, as_of: date) -> Decimal:
    """Share (%) of the action's recommendations that the NHRI assesses as implemented on
    ``as_of``: its latest NHRI assessment on or before that date; a recommendation with no
    recorded NHRI assessment counts with its current ``nhri_status`` (e.g. imported)."""
    latest = (
        Assessment.objects.filter(
            recommendation=OuterRef("pk"), voice=AssessmentVoice.NHRI, assessed_on__lte=as_of
        )
        .order_by("-assessed_on", "-id")
        .values("status")[:1]
    )
    any_assessment = Assessment.objects.filter(
        recommendation=OuterRef("pk"), voice=AssessmentVoice.NHRI
    ).values("id")[:1]
    rows = action.recommendations.annotate(
        status_then=Subquery(latest), first_assessment=Subquery(any_assessment)
    ).values_list("status_then", "first_assessment", "nhri_status")
    total = implemented = 0
    for status_then, first_assessment, nhri_status in rows:
        total += 1
        status = status_then if first_assessment is not None else nhri_status
        if status == ImplementationStatus.IMPLEMENTED:
            implemented += 1
    if not total:
        return Decimal(0)
    return Decimal(100 * implemented) / Decimal(total)


def approved_progress_reports(action: Action, as_of: date) -> Decimal:
    """Number of the action's progress reports approved on or before ``as_of``."""
    approved = action.progress_reports.filter(
        status=ProgressReportStatus.APPROVED, reviewed_at__isnull=False
    ).values_list("reviewed_at", flat=True)
    return Decimal(sum(1 for when in approved if timezone.localdate(when) <= as_of))


def register_builtin_figures() -> None:
    """Register Mizan's own figures (called from ``ActionsConfig.ready()``)."""
    computed_figure(
        "recommendations_implemented_share",
        label=_("Share of the recommendations the NHRI assesses as implemented"),
        unit="%",
    )(recommendations_implemented_share)
    computed_figure(
        "approved_progress_reports",
        label=_("Approved progress reports"),
        unit=_("reports"),
    )(approved_progress_reports)
