"""Forms of the roster pages: the upload, and the organiser's choice for each row that may
be someone already recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mizan.training.duplicates import MatchReason
from mizan.training.models import Participant
from mizan.training.rosters import RosterRow, RowDecision

NEW_PERSON = "new"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy(
            "CSV or XLSX, one officer a row. Every row is checked first: if one is wrong, "
            "nobody is imported."
        ),
    )


def choice_field(line: int) -> str:
    return f"row-{line}"


def fill_field(line: int) -> str:
    return f"fill-{line}"


class RosterDecisionForm(forms.Form):
    """One choice a row that matches someone already recorded: one of the candidates, or a
    new person; and whether to fill in the chosen person's empty details from the row."""

    def __init__(
        self,
        *args: Any,
        rows: Sequence[RosterRow],
        people: Mapping[int, Participant],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.people = people
        self.rows = [row for row in rows if row.candidates]
        for row in self.rows:
            choices = [
                (
                    str(candidate.participant_id),
                    _("The same person as %(name)s (participant %(id)s)")
                    % {
                        "name": people[candidate.participant_id].name
                        if candidate.participant_id in people
                        else "—",
                        "id": candidate.participant_id,
                    },
                )
                for candidate in row.candidates
            ]
            choices.append((NEW_PERSON, _("A new person")))
            self.fields[choice_field(row.line)] = forms.ChoiceField(
                label=_("Line %(line)s: %(name)s") % {"line": row.line, "name": row.name},
                choices=choices,
                widget=forms.RadioSelect,
                # A row whose service number is a candidate's is that person in all
                # likelihood: offered as the answer, still to be confirmed.
                initial=str(row.candidates[0].participant_id)
                if row.candidates[0].score == 100
                and MatchReason.SEX_DIFFERS not in row.candidates[0].reasons
                else None,
            )
            self.fields[fill_field(row.line)] = forms.BooleanField(
                label=_("Fill in the person's empty details from this row"),
                required=False,
                initial=True,
            )

    def row_fields(self) -> list[dict[str, Any]]:
        """For each row: the row, its two fields, and its candidates with the people."""
        return [
            {
                "row": row,
                "choice": self[choice_field(row.line)],
                "fill": self[fill_field(row.line)],
                "candidates": [
                    (candidate, self.people.get(candidate.participant_id))
                    for candidate in row.candidates
                ],
            }
            for row in self.rows
        ]

    def decisions(self) -> dict[int, RowDecision]:
        """The choices made, by line (call after ``is_valid``)."""
        return decisions_from(self.cleaned_data)


def decisions_from(data: Mapping[str, Any]) -> dict[int, RowDecision]:
    """Decisions from submitted data (``row-<line>``: a participant id or ``new``;
    ``fill-<line>``: whether to fill in blanks). Unreadable entries are left out, so the
    import asks again for those rows."""
    decisions: dict[int, RowDecision] = {}
    for name, value in data.items():
        prefix, _dash, line = name.partition("-")
        if prefix != "row" or not line.isdigit() or len(line) > 9:
            continue
        choice = value if isinstance(value, str) else ""
        fill = data.get(fill_field(int(line))) in (True, "on", "true", "1")
        if choice == NEW_PERSON:
            decisions[int(line)] = RowDecision.new_person()
        elif choice.isdigit() and len(choice) <= 18:
            decisions[int(line)] = RowDecision.same_person(int(choice), fill_blanks=fill)
    return decisions
