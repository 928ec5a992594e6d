"""Background jobs of suggestions: telling staff that a round's decisions are out."""

from __future__ import annotations

from typing import Any

from django.tasks import task


@task()
def send_release_notices(round_id: int) -> dict[str, Any]:
    """E-mail the staff concerned by a round whose decisions were just released."""
    from mizan.suggestions.notices import notify_release

    return notify_release(round_id)
