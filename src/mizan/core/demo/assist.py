"""The demo's assistant at work: each text embedded (so search by meaning answers), terms
proposed by the real suggester for the recommendations with no confirmed tags in the
SDG and Global Compact vocabularies, and near-duplicates grouped for a coordinator to
decide on. Running it twice changes nothing that a person decided: rejected suggestions
are not proposed again, and decided clusters are left as they are.
"""

from __future__ import annotations

from mizan.assist.duplicates import find_clusters
from mizan.assist.embeddings import refresh_embeddings
from mizan.assist.suggester import suggest, untagged_in
from mizan.recommendations.enums import TaggingSource
from mizan.recommendations.models import Tagging, Vocabulary

SUGGESTED_VOCABULARIES = ("sdg", "gcm")


def load_assist() -> None:
    refresh_embeddings()
    for vocabulary in Vocabulary.objects.filter(code__in=SUGGESTED_VOCABULARIES):
        # The demo's written suggestions (``content.py``) stay as they are.
        written = set(
            Tagging.objects.filter(
                term__vocabulary=vocabulary,
                source=TaggingSource.MODEL,
                confirmed_at__isnull=True,
            ).values_list("recommendation_id", flat=True)
        )
        suggest(vocabulary, [pk for pk in untagged_in(vocabulary) if pk not in written])
    find_clusters()
