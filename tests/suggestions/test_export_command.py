"""``mizan export-suggestions``: suggestions as a named user may read them."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from mizan.core.cli import main
from tests.suggestions.builders import from_participant, from_staff, open_round

pytestmark = pytest.mark.django_db


def read_csv(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_the_command_writes_what_the_user_may_read(case, tmp_path):
    suggestion = from_participant(case.enrolments[0])
    output = tmp_path / "suggestions.csv"

    call_command("export_suggestions", user="coordinator", output=str(output))

    rows = read_csv(output)
    assert rows[0][0] == "Reference"
    assert rows[1][0] == suggestion.reference
    assert rows[1][-1] == case.enrolments[0].participant.name_latin


def test_a_blind_reviewer_gets_no_author_from_the_command(case, tmp_path):
    suggestion = from_participant(case.enrolments[0])
    open_round(case, [suggestion])
    output = tmp_path / "suggestions.csv"

    call_command("export_suggestions", user="reviewer", output=str(output))

    rows = read_csv(output)
    assert len(rows) == 2
    assert all(case.enrolments[0].participant.name_latin not in cell for cell in rows[1])


def test_the_command_is_run_with_hyphens_and_writes_xlsx(case, tmp_path):
    from_staff(case.reviewer, "Shorter days.", session=case.session)
    from_staff(case.reviewer, "Somewhere cooler.")
    output = tmp_path / "suggestions.xlsx"

    main(
        [
            "export-suggestions",
            "--user",
            "outsider",
            "--session",
            str(case.session.pk),
            "--output",
            str(output),
        ]
    )

    rows = list(load_workbook(output).active.iter_rows(values_only=True))
    assert [row[8] for row in rows[1:]] == ["Shorter days."]


def test_the_round_option_keeps_its_suggestions(case, tmp_path):
    inside = from_staff(case.reviewer, "Shorter days.")
    from_staff(case.reviewer, "Somewhere cooler.")
    review_round = open_round(case, [inside])
    output = tmp_path / "round.csv"

    call_command(
        "export_suggestions", user="chair", round=review_round.pk, format="csv", output=str(output)
    )

    assert [row[0] for row in read_csv(output)[1:]] == [inside.reference]


def test_a_round_the_user_may_not_read_is_refused(case, tmp_path):
    review_round = open_round(case, [from_staff(case.reviewer, "Shorter days.")])
    output = tmp_path / "round.csv"

    with pytest.raises(CommandError, match="may read"):
        call_command(
            "export_suggestions", user="outsider", round=review_round.pk, output=str(output)
        )
    assert not output.exists()


def test_an_unknown_user_is_refused(case, tmp_path):
    with pytest.raises(CommandError, match="no active user"):
        call_command("export_suggestions", user="nobody", output=str(tmp_path / "x.csv"))
