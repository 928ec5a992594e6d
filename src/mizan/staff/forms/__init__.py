"""Back-office forms, one module per area."""

from mizan.staff.forms.registry import (
    AssignForm,
    BulkForm,
    DocumentForm,
    ImportForm,
    RecommendationForm,
    TagForm,
    TermChoiceField,
    grouped_term_choices,
)

__all__ = [
    "AssignForm",
    "BulkForm",
    "DocumentForm",
    "ImportForm",
    "RecommendationForm",
    "TagForm",
    "TermChoiceField",
    "grouped_term_choices",
]
