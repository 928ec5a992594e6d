"""Background jobs of the actions app: computing the computed indicators."""

from __future__ import annotations

import logging
from datetime import date

from django.tasks import task
from django.utils import timezone

from mizan.actions import services
from mizan.actions.enums import ActionStatus
from mizan.actions.models import Indicator
from mizan.core.errors import MizanError

logger = logging.getLogger(__name__)


@task()
def compute_indicators(as_of: str | None = None) -> dict[str, int]:
    """Compute every computed indicator of the actions not cancelled, for ``as_of`` (an
    ISO date; default today). One failing figure is logged and the others still run.
    Returns how many were computed, how many failed, and how many had no data yet."""
    day = date.fromisoformat(as_of) if as_of else timezone.localdate()
    indicators = (
        Indicator.objects.exclude(computation="")
        .exclude(action__status=ActionStatus.CANCELLED)
        .select_related("action")
        .order_by("id")
    )
    computed = failed = skipped = 0
    for indicator in indicators:
        try:
            services.compute_indicator(indicator=indicator, as_of=day)
        except MizanError as error:
            if error.code == "no_data":
                # Nothing to compute from yet (a training action before its first
                # session, say): not a failure, and nothing is recorded.
                skipped += 1
                logger.info("Indicator %s has no data yet: %s", indicator.pk, error.message)
                continue
            failed += 1
            logger.warning("Indicator %s not computed: %s", indicator.pk, error.message)
        except Exception:
            # A bug in one figure must not stop the others; it is logged with its trace.
            failed += 1
            logger.exception("Indicator %s not computed", indicator.pk)
        else:
            computed += 1
    return {"computed": computed, "failed": failed, "skipped": skipped}
