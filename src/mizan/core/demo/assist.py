"""The demo's assistant at work: each text embedded (so search by meaning answers), terms
proposed by the real suggester for the recommendations with no confirmed tags in the
SDG and Global Compact vocabularies, and near-duplicates grouped for a coordinator to
decide on. Running it twice changes nothing that a person decided: rejected suggestions
are not proposed again, and decided clusters are left as they are.
"""

from __future__ import annotations

from mizan.assist.embeddings import refresh_embeddings
from mizan.assist.suggester import suggest
from mizan.recommendations.models import Vocabulary

SUGGESTED_VOCABULARIES = ("sdg", "gcm")


def load_assist() -> None:
    refresh_embeddings()
    for vocabulary in Vocabulary.objects.filter(code__in=SUGGESTED_VOCABULARIES):
        suggest(vocabulary)
    try:
        from mizan.assist.duplicates import find_clusters
    except ImportError:  # pragma: no cover - while the clusters work is not merged
        return
    find_clusters()
