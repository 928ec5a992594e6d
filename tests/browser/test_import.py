"""Importing a file from the recommendation list: the error report, then the fixed file."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mizan.recommendations.models import Recommendation, SourceDocument, Tagging
from mizan.recommendations.vocabularies import load_shipped_vocabularies
from tests.browser.conftest import assert_accessible, expect_language, expect_results

HEADER = "document,mechanism,state_under_review,paragraph,text,language,tags:sdg\n"
SYMBOL = "CMW/C/TST/CO/1"
ROWS = [
    f"{SYMBOL},CMW,Morocco,12,Ratify the ILO Domestic Workers Convention.,en,8.8\n",
    f"{SYMBOL},CMW,Morocco,14,Ouvrir des voies légales de migration de main-d'œuvre.,fr,10.7\n",
    f"{SYMBOL},CMW,Morocco,16,ضمان حصول جميع العمال المهاجرين على الرعاية الصحية.,ar,3.8\n",
]
# Line 3 has no text; line 4 names a target the SDG vocabulary does not have.
BAD_FILE = HEADER + ROWS[0] + f"{SYMBOL},CMW,Morocco,14,,fr,10.7\n" + ROWS[2].replace("3.8", "3.99")
GOOD_FILE = HEADER + "".join(ROWS)


def upload(page: Page, content: str) -> None:
    page.locator("#id_file").set_input_files(
        {"name": "recommendations.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()


@pytest.fixture
def vocabularies(transactional_db):
    return load_shipped_vocabularies()


def test_rejected_file_then_corrected_file_is_imported(
    page, live_server, log_in, coordinator_account, vocabularies, language
):
    log_in(coordinator_account)
    page.goto(f"{live_server.url}/staff/recommendations/")
    page.locator("main a[href$='/staff/recommendations/import/']").click()
    expect(page).to_have_url(re.compile(r"/staff/recommendations/import/$"))
    expect_language(page, language)

    upload(page, BAD_FILE)
    report = page.locator("section[role=alert]")
    expect(report.locator("#problems-title")).to_contain_text("recommendations.csv")
    rows = report.locator("table tbody tr")
    expect(rows).to_have_count(2)
    cells = [
        [cell.strip() for cell in row.locator("td").all_inner_texts()[:2]] for row in rows.all()
    ]
    assert cells == [["3", "text"], ["4", "tags:sdg"]]
    expect(rows.nth(1).locator("td").nth(2)).to_contain_text("3.99")
    assert Recommendation.objects.count() == 0
    assert SourceDocument.objects.count() == 0
    assert_accessible(page)

    upload(page, GOOD_FILE)
    preview = page.locator("section[aria-labelledby=preview-title]")
    expect(preview.locator("#preview-title")).to_contain_text("recommendations.csv")
    # "3 to create, 0 to update, 0 unchanged", in whatever order the translation puts them.
    counts = preview.locator("p[role=status]")
    expect(counts).to_contain_text("3")
    assert sorted(re.findall(r"\d+", counts.inner_text())) == ["0", "0", "3"]
    expect(preview.locator("table tbody tr")).to_have_count(3)
    assert Recommendation.objects.count() == 0
    assert_accessible(page)

    preview.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/recommendations/$"))
    expect(page.locator("main .messages")).to_be_visible()
    expect_results(page, 3)
    for paragraph in ("12", "14", "16"):
        expect(
            page.locator(".recommendation-item a.reference", has_text=f"¶{paragraph}")
        ).to_have_count(1)
    expect(page.locator(".recommendation-item p[lang=ar]")).to_contain_text("العمال المهاجرين")
    assert Recommendation.objects.filter(document__symbol=SYMBOL).count() == 3
    # The file's tags, confirmed; the assistant's suggestions for the new texts wait apart.
    imported = Tagging.objects.filter(confirmed_at__isnull=False)
    assert set(imported.values_list("recommendation__paragraph", "term__code")) == {
        ("12", "8.8"),
        ("14", "10.7"),
        ("16", "3.8"),
    }
