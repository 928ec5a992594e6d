"""The suggestion export's rows, filters and the authors a reader may see: the same rule as
``suggestions.view_author``, so a blind reviewer finds no author in any cell."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from mizan.core.errors import MizanError
from mizan.suggestions.enums import AuthorKind, Outcome
from mizan.suggestions.exports import (
    SuggestionFilters,
    authors_shown_to,
    export_rows,
    export_suggestions,
    for_reading,
)
from mizan.suggestions.models import Suggestion
from mizan.suggestions.queries import suggestions_visible_to
from mizan.suggestions.services import decisions, rounds
from tests.suggestions.builders import decide_and_release, from_participant, from_staff, open_round

pytestmark = pytest.mark.django_db


def rows_for(user, **filters) -> list[list[str]]:
    queryset = SuggestionFilters(**filters).apply(suggestions_visible_to(user), user)
    return list(export_rows(queryset.order_by("pk"), user))


def csv_for(user) -> list[list[str]]:
    output = io.BytesIO()
    export_suggestions(
        suggestions_visible_to(user).order_by("pk"), user=user, format="csv", output=output
    )
    return list(csv.reader(io.StringIO(output.getvalue().decode("utf-8-sig"))))


def test_a_formula_in_a_suggestion_is_neutralised_in_csv_and_xlsx(case):
    from_staff(case.reviewer, '=cmd|"/c calc"!A1')
    csv_rows = csv_for(case.coordinator)
    output = io.BytesIO()
    export_suggestions(
        Suggestion.objects.all(), user=case.coordinator, format="xlsx", output=output
    )
    sheet = load_workbook(io.BytesIO(output.getvalue())).active
    xlsx_rows = list(sheet.iter_rows(values_only=True))

    assert csv_rows[1][8] == '\'=cmd|"/c calc"!A1'
    assert xlsx_rows[1][8] == '\'=cmd|"/c calc"!A1'
    assert sheet.cell(row=2, column=9).data_type == "s"


def test_an_unknown_format_is_refused(case):
    with pytest.raises(MizanError):
        export_suggestions(
            Suggestion.objects.all(), user=case.coordinator, format="json", output=io.BytesIO()
        )


def test_a_row_tells_what_the_suggestion_is_about_and_where_it_came_from(case):
    module = case.session.version.modules.first()
    suggestion = from_participant(case.enrolments[0], subject="module", module=module)

    [row] = rows_for(case.coordinator)

    assert row[0] == suggestion.reference
    assert row[0].startswith("S-")
    assert row[2] == "A module"
    assert row[3] == case.session.version.curriculum.title
    assert row[4] == module.title
    assert row[9] == case.session.title
    assert row[10] == "Received"
    assert row[14] == case.enrolments[0].participant.name_latin


def test_the_author_cell_follows_who_may_see_the_author(case):
    from_participant(case.enrolments[0])
    from_participant(case.enrolments[1], "Longer breaks.", anonymous=True)
    name = case.enrolments[0].participant.name_latin

    assert [row[14] for row in rows_for(case.coordinator)] == [name, "anonymous"]
    assert [row[14] for row in rows_for(case.outsider)] == ["", "anonymous"]


def test_a_blind_reviewer_gets_no_author_in_the_export(case):
    named = from_participant(case.enrolments[0])
    staff = from_staff(case.partnership.secretary, session=case.session)
    before = rows_for(case.reviewer)
    open_round(case, [named, staff])
    after = rows_for(case.reviewer)

    assert before[0][14] == case.enrolments[0].participant.name_latin
    assert [row[14] for row in after] == ["", ""]


def test_authors_shown_agree_with_the_view_author_permission(case):
    named = from_participant(case.enrolments[0])
    anonymous = from_participant(case.enrolments[1], "Longer breaks.", anonymous=True)
    by_secretary = from_staff(case.partnership.secretary, session=case.session)
    by_reviewer = from_staff(case.reviewer, "Shorter days.")
    other_session = from_staff(case.partnership.member, "More water.")
    open_round(case, [named, by_secretary])
    suggestions = list(
        for_reading(
            Suggestion.objects.filter(
                pk__in=[s.pk for s in (named, anonymous, by_secretary, by_reviewer, other_session)]
            ),
            case.coordinator,
        )
    )
    users = [
        case.coordinator,
        case.reviewer,
        case.trainer,
        case.outsider,
        case.partnership.chair,
        case.partnership.secretary,
        case.partnership.member,
    ]

    for user in users:
        shown = authors_shown_to(user, suggestions)
        for suggestion in suggestions:
            allowed = user.has_perm("suggestions.view_author", suggestion)
            has_name = not suggestion.anonymous
            assert (suggestion.pk in shown) == (allowed and has_name), (user, suggestion)


def test_the_outcome_shows_once_released_or_to_the_rounds_readers(case):
    suggestion = from_staff(case.reviewer, "Shorter days.")
    review_round = rounds.close_round(
        review_round=open_round(case, [suggestion]), by=case.coordinator
    )
    decisions.record_decisions(
        review_round=review_round,
        suggestions=[suggestion],
        outcome=Outcome.REJECTED,
        rationale="Out of scope.",
        by=case.coordinator,
    )

    assert rows_for(case.outsider)[0][11:13] == ["", ""]
    assert rows_for(case.coordinator)[0][11:13] == ["Rejected", "Out of scope."]
    decisions.release_decisions(review_round=review_round, by=case.coordinator)
    assert rows_for(case.outsider)[0][11:13] == ["Rejected", "Out of scope."]


def test_the_search_reads_the_text_and_the_reference_not_the_author(case):
    first = from_participant(case.enrolments[0], "Add a role play.")
    second = from_staff(case.reviewer, "Bring water.", author_kind=AuthorKind.COMMITTEE_MEMBER)

    assert [r[0] for r in rows_for(case.coordinator, q="role play")] == [first.reference]
    assert [r[0] for r in rows_for(case.coordinator, q=second.reference)] == [second.reference]
    assert rows_for(case.coordinator, q=case.enrolments[0].participant.name_latin) == []
    assert rows_for(case.coordinator, q="reviewer") == []


def test_filtering_by_a_round_needs_to_read_the_round(case):
    suggestion = from_staff(case.reviewer, "Shorter days.")
    from_staff(case.reviewer, "Longer days.")
    review_round = open_round(case, [suggestion])

    assert [r[0] for r in rows_for(case.reviewer, round=review_round.pk)] == [suggestion.reference]
    assert rows_for(case.outsider, round=review_round.pk) == []


def test_the_integrated_versions_are_listed(case):
    from mizan.suggestions.services import integration
    from mizan.training import services as training_services

    suggestion = from_participant(case.enrolments[0])
    decide_and_release(case, open_round(case, [suggestion]))
    draft = training_services.new_version_from(
        version=case.session.version, changelog="Case studies.", by=case.coordinator
    )
    integration.integrate_suggestions(
        version=draft, text="A case study.", suggestions=[suggestion], by=case.coordinator
    )

    [row] = rows_for(case.outsider)
    assert row[13] == str(draft)
    assert row[11] == "Accepted"


def test_filters_read_from_a_query_drop_unknown_values():
    filters = SuggestionFilters.from_query(
        {"status": "nonsense", "category": "method", "session": "12x", "round": "7"}
    )

    assert filters == SuggestionFilters(category="method", round=7)
