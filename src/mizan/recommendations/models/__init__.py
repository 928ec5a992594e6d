"""Models of the recommendation registry, one module per aggregate."""

from mizan.recommendations.models.registry import (
    Assessment,
    Assignment,
    Mechanism,
    Recommendation,
    RecommendationText,
    SourceDocument,
)
from mizan.recommendations.models.vocabulary import Tagging, Term, Vocabulary

__all__ = [
    "Assessment",
    "Assignment",
    "Mechanism",
    "Recommendation",
    "RecommendationText",
    "SourceDocument",
    "Tagging",
    "Term",
    "Vocabulary",
]
