"""``mizan import-roster``: every row or none, problems by line on standard error and a
non-zero exit, dry runs, and rows that may be people already recorded."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from mizan.core.cli import main
from mizan.training.models import Enrolment, Participant
from tests.training.builders import make_session, organiser
from tests.training.roster_builders import csv_bytes, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return organiser()


@pytest.fixture
def session(user):
    return make_session(user, capacity=10)


@pytest.fixture
def keep_connection(monkeypatch):
    """``mizan`` closes the database connections when a command ends, which would end
    the test's transaction on PostgreSQL."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes())
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_roster_is_imported(session, roster, user):
    out, _err = run("--session", str(session.pk), str(roster), "--user", user.username)
    assert "3 people enrolled" in out
    assert Enrolment.objects.filter(session=session).count() == 3
    assert Participant.objects.get(service_number="P-1001").history.get().history_user == user


@pytest.mark.usefixtures("keep_connection")
def test_the_hyphenated_command_runs_from_the_mizan_script(session, roster, capsys):
    main(["import-roster", "--session", str(session.pk), str(roster)])
    assert "3 people enrolled" in capsys.readouterr().out
    assert Enrolment.objects.filter(session=session).count() == 3


def test_problems_are_printed_by_line_and_the_command_fails(session, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_bytes(
            [
                ("Samira Bennani", "", "female", "", "", "", ""),
                ("Youssef Tazi", "", "?", "", "", "", ""),
                ("Nadia Alaoui", "", "female", "", "", "", "no-address"),
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_roster", "--session", str(session.pk), str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("Line 3, column sex: ")
    assert lines[1] == "Line 4, column email: This is not an e-mail address."
    assert not Participant.objects.exists()


@pytest.mark.usefixtures("keep_connection")
def test_a_failed_import_exits_with_a_non_zero_status(session, tmp_path):
    path = tmp_path / "page.csv"
    path.write_bytes(b"<html><body>not a roster</body></html>")
    with pytest.raises(SystemExit) as exit:
        main(["import-roster", "--session", str(session.pk), str(path)])
    assert exit.value.code != 0


def test_a_dry_run_writes_nothing(session, roster):
    out, _err = run("--session", str(session.pk), str(roster), "--dry-run")
    assert "Dry run" in out and "3 people would be enrolled" in out
    assert not Participant.objects.exists()


def test_a_row_like_someone_known_stops_the_import_until_decided(session, roster, user):
    earlier = make_session(user, title="Earlier session", code="earlier")
    known = enrolled(earlier, user, name_latin="Samira Benani", service_number="P-1001")

    err = io.StringIO()
    with pytest.raises(CommandError) as stopped:
        call_command("import_roster", "--session", str(session.pk), str(roster), stderr=err)
    assert "--same-person" in str(stopped.value)
    assert "Line 2:" in err.getvalue()
    assert f"participant {known.pk}, Samira Benani" in err.getvalue()
    assert not Enrolment.objects.filter(session=session).exists()

    run("--session", str(session.pk), str(roster), "--same-person", f"2={known.pk}")
    assert known.enrolments.filter(session=session).exists()
    assert Participant.objects.count() == 3


def test_new_person_makes_a_second_record(session, roster, user):
    earlier = make_session(user, title="Earlier session", code="earlier")
    known = enrolled(earlier, user, name_latin="Samira Benani")

    run("--session", str(session.pk), str(roster), "--new-person", "2")

    assert not known.enrolments.filter(session=session).exists()
    assert Participant.objects.count() == 4


@pytest.mark.parametrize(
    "args",
    [
        ["--session", "999999"],
        ["--same-person", "two=3"],
    ],
)
def test_bad_arguments_are_refused(session, roster, args):
    if "--session" not in args:
        args = ["--session", str(session.pk), *args]
    with pytest.raises(CommandError):
        run(*args, str(roster))
    assert not Participant.objects.exists()
