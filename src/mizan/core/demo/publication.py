"""The demo's public portal: what a coordinator would publish once the first
follow-up is under way.

Every recommendation of the committee's concluding observations on migrant workers
(``CMW_SYMBOL``) is published, with every action that answers one of them; the training
action is published with its aggregated figures (the portal hides any group of fewer
than 11 officers). The UPR document stays unpublished, so the demo shows both. Running
it twice changes nothing: publishing what is already published keeps its date.
"""

from __future__ import annotations

from mizan.accounts.models import User
from mizan.actions.enums import ActionKind
from mizan.actions.models import Action
from mizan.core.demo.content import CMW_SYMBOL
from mizan.recommendations.models import Recommendation
from mizan.reports import publication


def load_publication(coordinator: User) -> None:
    recommendations = list(
        Recommendation.objects.filter(document__symbol=CMW_SYMBOL).values_list("pk", flat=True)
    )
    publication.publish_recommendations(coordinator, recommendations)
    actions = Action.objects.filter(recommendations__in=recommendations).distinct().order_by("id")
    for action in actions:
        if action.published_at is None:
            publication.publish_action(
                coordinator, action, with_figures=action.kind == ActionKind.TRAINING
            )
