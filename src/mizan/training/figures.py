"""The training figures an indicator of a training action can be computed by.

Each figure counts the action's sessions that started on or before ``as_of`` (and were
not cancelled), and what participants submitted on or before it (see
:mod:`mizan.training.analytics`). A count with nothing to count is 0; a share or a mean
with nothing to compute it from is refused with a ``MizanError`` (code ``no_data``),
so that no indicator records a 0 that was never measured.

Registered by ``TrainingConfig.ready()``; the names are stored in indicators, so they
never change.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mizan.actions.indicators import computed_figure
from mizan.core.errors import MizanError
from mizan.training import analytics
from mizan.training.enums import Sex

if TYPE_CHECKING:
    from mizan.actions.models import Action
    from mizan.training.models import TrainingSession

#: Every figure of this module, in the order pages and the benchmark list them.
TRAINING_FIGURES = (
    "officers_trained",
    "officers_trained_women",
    "women_share_trained",
    "completion_rate",
    "mean_knowledge_gain",
    "normalised_knowledge_gain",
    "reaction_overall",
    "cascade_reach",
    "follow_up_used_at_work",
)


def _sessions(action: Action, as_of: date) -> QuerySet[TrainingSession]:
    return analytics.sessions_of_action(action, starts_until=as_of)


def _measured(value: Decimal | None) -> Decimal:
    if value is None:
        raise MizanError(
            gettext("There is nothing to compute this figure from on that date yet."),
            code="no_data",
        )
    return value


@computed_figure("officers_trained", label=_("Officers trained"), unit=_("officers"))
def officers_trained(action: Action, as_of: date) -> int:
    """Distinct officers with an approved enrolment who attended at least one slot."""
    return analytics.officers_trained(_sessions(action, as_of), as_of=as_of)


@computed_figure("officers_trained_women", label=_("Women officers trained"), unit=_("officers"))
def officers_trained_women(action: Action, as_of: date) -> int:
    return analytics.officers_trained_by_sex(_sessions(action, as_of), as_of=as_of).get(
        Sex.FEMALE, 0
    )


@computed_figure(
    "women_share_trained", label=_("Share of women among the officers trained"), unit="%"
)
def women_share_trained(action: Action, as_of: date) -> Decimal:
    by_sex = analytics.officers_trained_by_sex(_sessions(action, as_of), as_of=as_of)
    return _measured(analytics.share(by_sex.get(Sex.FEMALE, 0), sum(by_sex.values())))


@computed_figure(
    "completion_rate",
    label=_("Share of the officers trained who completed the course"),
    unit="%",
)
def completion_rate(action: Action, as_of: date) -> Decimal:
    """Completed: attended the session's share of slots and passed its post-test."""
    trained, completed = analytics.completion(_sessions(action, as_of), as_of=as_of)
    return _measured(analytics.share(completed, trained))


@computed_figure(
    "mean_knowledge_gain",
    label=_("Mean knowledge gain, post-test over pre-test"),
    unit=_("points"),
)
def mean_knowledge_gain(action: Action, as_of: date) -> Decimal:
    return _measured(analytics.knowledge_gain(_sessions(action, as_of), as_of=as_of).mean_gain)


@computed_figure(
    "normalised_knowledge_gain",
    label=_("Mean normalised knowledge gain (share of the possible gain achieved)"),
    unit="%",
)
def normalised_knowledge_gain(action: Action, as_of: date) -> Decimal:
    return _measured(
        analytics.knowledge_gain(_sessions(action, as_of), as_of=as_of).mean_normalised_gain
    )


@computed_figure(
    "reaction_overall",
    label=_("Overall rating of the course in end-of-course evaluations (1 to 5)"),
    unit=_("out of 5"),
)
def reaction_overall(action: Action, as_of: date) -> Decimal:
    final = analytics.reaction(_sessions(action, as_of), as_of=as_of).final
    return _measured(final.mean_of("overall"))


@computed_figure(
    "cascade_reach",
    label=_("People reached: officers trained and the audiences of their cascade sessions"),
    unit=_("people"),
)
def cascade_reach(action: Action, as_of: date) -> int:
    return analytics.cascade_reach(_sessions(action, as_of), as_of=as_of).total


@computed_figure(
    "follow_up_used_at_work",
    label=_("How often officers used what they learned, at follow-up (1 to 5)"),
    unit=_("out of 5"),
)
def follow_up_used_at_work(action: Action, as_of: date) -> Decimal:
    return _measured(analytics.behaviour(_sessions(action, as_of), as_of=as_of).used_at_work)
