"""Take the user guide's screenshots from a fresh demo, in Arabic, French and English.

Run with ``make screenshots``: it compiles the translations, loads the demo into a
temporary folder, serves it on a free local port, drives Debian's Chromium through
Playwright and writes PNGs into ``docs/screenshots/``. Pages are taken as the demo person
who would use them: the coordinator, the police focal point (my work, a session), the
police member of the joint committee (a meeting), the trainer (the attendance tablet page,
the list of suggestions with their authors), the committee's chair (a review round's
dashboard), the NHRI member of the committee (reviewing a suggestion blind), its secretary
(the decisions), a participant on a 360-pixel phone (the pre-test, making a suggestion and
the committee's answer) and anyone, logged out (a certificate's check).

Before the shots, the police focal point approves one of the officers nominated for the
Agadir session and issues their personal link, as an organiser would, so that the phone
has a test to show; and the committee's chair opens a blind review round for the Tangier
session's two suggestions, so that a reviewer has one to score; and the coordinator asks
for the follow-up report on the CMW's concluding observations in each language, which the
demo's task worker writes, so that each language has a finished report job to show. Every
language is then taken from the same state. The dashboards of figures are taken as the
coordinator (recommendations) and as the Ministry of the Interior's viewer (training, broken
down by sex, so that the hidden small cells show); the public portal logged out.

For the assistant, the coordinator reads in a UPR report of an earlier cycle (written
for the shots) whose recommendations repeat some of the demo's, and the assistant's search
for near-duplicates (``mizan assist duplicates``) then groups them, so that a cluster has
members to show; the intake preview is taken on pasted concluding observations, never
imported. The tag suggestions are those the demo's assistant proposed.

``--only NAME …`` takes only the named shots (``training-figures``, ``public-action``…:
the file names without the language), with the preparations they need; ``--language``
(repeatable) only those languages. ``make screenshots`` takes everything.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, FilePayload, Page, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, seconds: float = 900) -> None:
    """Wait until the demo serves: it loads the whole demo case first (a minute or two,
    several on a busy machine: the assistant embeds and suggests too)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise SystemExit("The demo server did not start.")


def log_in(page: Page, base: str, username: str = "coordinator") -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "mizan-demo")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/staff/")


#: Taller pages are cut at this height (pixels) rather than taken whole.
MAX_HEIGHT = 1700
#: Django's language cookie (``LANGUAGE_COOKIE_NAME``).
LANGUAGE_COOKIE = "django_language"
#: Viewports: the back office on a laptop, the attendance page on a tablet held
#: sideways, and the participant's pages on a small phone.
DESKTOP: ViewportSize = {"width": 1280, "height": 860}
TABLET: ViewportSize = {"width": 1024, "height": 768}
PHONE: ViewportSize = {"width": 360, "height": 740}


def shoot_long(page: Page, path: Path, max_height: int = MAX_HEIGHT) -> None:
    """The page from its top, down to its end or ``max_height``, whichever comes first."""
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"] if page.viewport_size else 1280
    page.screenshot(
        path=path,
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": min(height, max_height)},
    )


def shoot(base: str, language: str, page: Page) -> None:
    """The registry and the follow-up pages, as the coordinator."""
    log_in(page, base)
    page.screenshot(path=OUT / f"dashboard-{language}.png")
    page.goto(f"{base}/staff/recommendations/?mechanism=CMW")
    page.screenshot(path=OUT / f"recommendations-{language}.png")
    page.locator(".recommendation-item a.reference").first.click()
    page.screenshot(path=OUT / f"recommendation-{language}.png", full_page=True)
    page.goto(page.url + "history/")
    page.screenshot(path=OUT / f"history-{language}.png")
    page.goto(f"{base}/staff/recommendations/import/")
    bad = (
        "document,mechanism,paragraph,text,language,state_under_review\n"
        "CMW/C/MAR/CO/2,CMW,40(a),Guarantee interpreters at every border post,en,Morocco\n"
        "CMW/C/MAR/CO/2,CMW,40(b),,en,Morocco\n"
    )
    upload: FilePayload = {
        "name": "recommendations.csv",
        "mimeType": "text/csv",
        "buffer": bad.encode(),
    }
    page.set_input_files("#id_file", files=[upload])
    page.click("main form button[type=submit]")
    page.screenshot(path=OUT / f"import-errors-{language}.png")
    page.goto(f"{base}/staff/vocabularies/sdg/")
    page.screenshot(path=OUT / f"vocabulary-{language}.png")
    # The demo's training action, its progress report awaiting approval, and the two
    # voices' assessments of the recommendation it answers.
    page.goto(f"{base}/staff/actions/")
    page.locator("main table a[href*='/staff/actions/']").first.click()
    action_url = page.url
    shoot_long(page, OUT / f"action-{language}.png")
    page.locator("#reports tbody a").first.click()  # newest period first: the submitted one
    shoot_long(page, OUT / f"progress-report-{language}.png")
    page.goto(action_url)
    page.locator("#recommendations a[href*='/staff/recommendations/']").first.click()
    page.locator("#assessments").screenshot(path=OUT / f"assessments-{language}.png")


def shoot_my_work(base: str, language: str, page: Page) -> None:
    """My work, as the police focal point."""
    log_in(page, base, "focal.police")
    page.goto(f"{base}/staff/my-work/")
    shoot_long(page, OUT / f"my-work-{language}.png", max_height=2200)  # down to the calendar


def shoot_meeting(base: str, language: str, page: Page) -> None:
    """The joint committee's meeting that was held, as the police member of the committee
    (who reads it without the chair's and secretary's forms)."""
    log_in(page, base, "committee.police")
    page.goto(f"{base}/staff/agreements/")
    page.locator("main a[href*='/staff/agreements/committees/']").first.click()
    page.locator("#meetings li:has(.badge) a").first.click()
    shoot_long(page, OUT / f"meeting-{language}.png")


# --- Training sessions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """What the session shots need from the demo: a participant's personal link (with a
    test open), a valid certificate's verification code, and the personal link of an Oujda
    officer whose suggestion the committee accepted and a new version integrated."""

    personal_link: str
    certificate_code: str
    author_link: str


def open_session(page: Page, base: str, city: str) -> str:
    """Open the demo session held in ``city`` from the list of sessions; its address."""
    page.goto(f"{base}/staff/sessions/")
    page.locator("main table a[href*='/staff/sessions/']", has_text=city).first.click()
    page.wait_for_load_state()
    return page.url


def prepare_sessions(base: str, page: Page) -> Prepared:
    """As the police focal point: approve the first officer nominated for Agadir, issue
    the missing personal link, and read it back with a certificate code of Oujda."""
    log_in(page, base, "focal.police")
    agadir = open_session(page, base, "Agadir")
    approve = page.locator("#roster form:has(input[name=decision][value=approve]) button")
    if approve.count():
        approve.first.click()
        page.wait_for_load_state()
    page.goto(agadir + "links/")
    issue = page.locator(".page-head form.inline-form button[type=submit]")
    if issue.count():
        issue.first.click()
        page.wait_for_load_state()
    link = page.locator(".link-card .link-url").first.inner_text().strip()
    oujda = open_session(page, base, "Oujda")
    page.goto(oujda + "certificates/")
    code = page.locator("td .term-code").first.inner_text().strip()
    page.goto(oujda + "links/")
    links = [text.strip() for text in page.locator(".link-card .link-url").all_inner_texts()]
    return Prepared(
        personal_link=link, certificate_code=code, author_link=integrated_author(page, links)
    )


def integrated_author(page: Page, links: list[str]) -> str:
    """The first of ``links`` whose page shows the committee's answer to a suggestion that
    a new version of the course integrates."""
    for link in links:
        page.goto(f"{link}?lang=en")
        if (
            page.locator(".task-list dl.plan").count()
            and page.get_by_text("It is now part of a new version of the course.").count()
        ):
            return link
    raise SystemExit("No Oujda participant has an integrated suggestion in the demo.")


def shoot_session(base: str, language: str, page: Page) -> None:
    """The Agadir session, open for nominations, as the police focal point (an organiser):
    logistics, status, counts, the tools, half-days and the roster with its decisions."""
    log_in(page, base, "focal.police")
    open_session(page, base, "Agadir")
    shoot_long(page, OUT / f"session-{language}.png", max_height=2600)


def shoot_attendance(base: str, language: str, page: Page) -> None:
    """The tablet page of the running Tangier session's first morning, as the trainer."""
    log_in(page, base, "trainer")
    tangier = open_session(page, base, "Tangier")
    page.goto(tangier + "attendance/")
    page.locator("main table thead a[href*='/staff/slots/']").first.click()
    page.wait_for_load_state()
    shoot_long(page, OUT / f"attendance-{language}.png", max_height=1400)


def shoot_phone_test(prepared: Prepared, language: str, page: Page) -> None:
    """The pre-test on a participant's phone, opened with their personal link."""
    page.goto(f"{prepared.personal_link}test/pre/?lang={language}")
    shoot_long(page, OUT / f"phone-test-{language}.png", max_height=1500)


def shoot_verify(base: str, prepared: Prepared, language: str, page: Page) -> None:
    """The public check of a valid certificate, logged out."""
    page.goto(f"{base}/verify/{prepared.certificate_code}/")
    shoot_long(page, OUT / f"verify-{language}.png")


# --- Suggestions and the joint committee's review ----------------------------------------------

#: The demo's review round (decided and released), and the one the shots open.
OUJDA_ROUND = "Suggestions from the Oujda session"
TANGIER_ROUND = "Suggestions from the Tangier session"


def prepare_review(base: str, page: Page) -> None:
    """As the committee's chair: a blind round for the two suggestions of the Tangier
    session, with the default rubric, its reviewers assigned and open for review."""
    log_in(page, base, "coordinator")
    page.goto(f"{base}/staff/reviews/new/")
    page.fill("#id_title", TANGIER_ROUND)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/staff/reviews/*/edit/")
    round_url = page.url.removesuffix("edit/")
    page.goto(round_url + "suggestions/")
    tangier = page.locator("#add tbody tr", has_text="Tangier")
    for index in range(tangier.count()):
        tangier.nth(index).locator("input[name=suggestions]").check()
    page.click("#add button[name=add]")
    page.wait_for_load_state()
    page.goto(round_url + "assign/")
    page.click("main form button[type=submit].primary")
    page.wait_for_load_state()
    page.goto(round_url + "open/")
    page.click("main form button[type=submit].primary")
    page.wait_for_load_state()


def open_round(page: Page, base: str, title: str) -> str:
    """Open the review round called ``title`` from the list of rounds; its address."""
    page.goto(f"{base}/staff/reviews/")
    page.locator("main table a[href*='/staff/reviews/']", has_text=title).first.click()
    page.wait_for_load_state()
    return page.url


def shoot_suggestions(base: str, language: str, page: Page) -> None:
    """The list of suggestions as the trainer, who works for the sessions' organisers and
    sits on no reviewing committee, so sees who wrote each (or that it is anonymous)."""
    log_in(page, base, "trainer")
    page.goto(f"{base}/staff/suggestions/")
    shoot_long(page, OUT / f"suggestions-{language}.png")


def shoot_review_round(base: str, language: str, page: Page) -> None:
    """The dashboard of the demo's round, reviewed and decided, as the committee's chair."""
    log_in(page, base, "coordinator")
    open_round(page, base, OUJDA_ROUND)
    shoot_long(page, OUT / f"review-round-{language}.png", max_height=2200)


def shoot_review_form(base: str, language: str, page: Page) -> None:
    """A suggestion of the open Tangier round, as the NHRI member of the committee who is to
    review it blind, with the first scores ticked."""
    log_in(page, base, "committee")
    page.goto(f"{base}/staff/reviews/mine/")
    to_do = page.locator("main tr:has(.status-in_progress)")
    to_do.locator("a[href*='/staff/reviews/assignments/']").first.click()
    page.wait_for_load_state()
    criteria = page.locator("#review fieldset")
    for index, score in enumerate((4, 3)):
        criteria.nth(index).locator(f"input[type=radio][value='{score}']").check()
    shoot_long(page, OUT / f"review-form-{language}.png")


def shoot_decisions(base: str, language: str, page: Page) -> None:
    """The decisions of the demo's round, released, as the committee's secretary."""
    log_in(page, base, "focal.police")
    open_round(page, base, OUJDA_ROUND)
    page.goto(page.url + "decisions/")
    shoot_long(page, OUT / f"decisions-{language}.png")


def shoot_phone_suggest(prepared: Prepared, language: str, page: Page) -> None:
    """Making a suggestion on a participant's phone."""
    page.goto(f"{prepared.author_link}suggest/?lang={language}")
    shoot_long(page, OUT / f"phone-suggest-{language}.png", max_height=2600)


def shoot_phone_suggestions(prepared: Prepared, language: str, page: Page) -> None:
    """The committee's answer to an officer's suggestion, on their personal page."""
    page.goto(f"{prepared.author_link}?lang={language}")
    page.locator("section[aria-labelledby=suggestions-heading]").screenshot(
        path=OUT / f"phone-suggestions-{language}.png"
    )


# --- Dashboards, reports and the public portal ------------------------------------------

#: The languages the shots are taken in, in this order.
LANGUAGES = ("ar", "fr", "en")
#: The demo's published document: the follow-up report is written on it.
CMW_SYMBOL = "CMW/C/MAR/CO/2"
#: How long a follow-up report may take the demo's task worker (seconds).
REPORT_TIMEOUT = 300


def prepare_report_jobs(base: str, page: Page) -> dict[str, str]:
    """As the coordinator: ask for the follow-up report on the CMW's concluding
    observations, as PDF, in each language, and wait until the demo's task worker has
    written every one. The address of each job's page, by language."""
    log_in(page, base)
    jobs = {}
    for language in LANGUAGES:
        page.goto(f"{base}/staff/reports/follow-up/new/")
        page.select_option("#id_document", label=CMW_SYMBOL)
        page.select_option("#id_language", language)
        page.select_option("#id_format", "pdf")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/staff/reports/jobs/*/")
        jobs[language] = page.url
    for language, url in jobs.items():
        page.goto(url)
        # The status block stops asking for itself (HTMX) once the job is over.
        status = page.locator("#job-status:not([hx-get])")
        status.wait_for(timeout=REPORT_TIMEOUT * 1000)
        if not status.locator("a[download]").count():
            raise SystemExit(f"The follow-up report in {language} failed: {status.inner_text()}")
    return jobs


def shoot_recommendation_figures(base: str, language: str, page: Page) -> None:
    """The figures on recommendations, as the coordinator: the filters, both voices'
    statuses, and where the recommendations come from."""
    log_in(page, base)
    page.goto(f"{base}/staff/dashboards/recommendations/")
    shoot_long(page, OUT / f"recommendation-figures-{language}.png", max_height=2200)


def shoot_training_figures(base: str, language: str, page: Page) -> None:
    """The training dashboard broken down by sex, as the Ministry of the Interior's viewer,
    who may not see the people of the sessions, so that hidden small cells show."""
    log_in(page, base, "viewer")
    page.goto(f"{base}/staff/dashboards/training/?breakdown=sex")
    shoot_long(page, OUT / f"training-figures-{language}.png", max_height=2000)


def shoot_report_job(jobs: dict[str, str], base: str, language: str, page: Page) -> None:
    """The coordinator's finished follow-up report in ``language``, ready to download."""
    log_in(page, base)
    page.goto(jobs[language])
    page.screenshot(path=OUT / f"report-job-{language}.png")


def shoot_public_recommendations(base: str, language: str, page: Page) -> None:
    """The published recommendations on the public portal, logged out."""
    page.goto(f"{base}/recommendations/")
    shoot_long(page, OUT / f"public-recommendations-{language}.png")


def shoot_public_action(base: str, language: str, page: Page) -> None:
    """The published training action with its figures, small groups hidden, logged out."""
    page.goto(f"{base}/actions/")
    page.locator("main table a[href*='/actions/']").first.click()
    page.wait_for_load_state()
    shoot_long(page, OUT / f"public-action-{language}.png", max_height=2600)


# --- The assistant -----------------------------------------------------------------------

#: Concluding observations pasted into the intake page for its preview (never imported):
#: a paragraph that only observes (skipped), one with sub-paragraphs (one row each) and two
#: plain ones. Written for the shots, as the demo's documents are.
INTAKE_SYMBOL = "CAT/C/MAR/CO/XX"
INTAKE_TEXT = """CAT/C/MAR/CO/XX

Concluding observations (demonstration: text written for Mizan)

Safeguards in police custody

14. The Committee notes the amendments to the Code of Criminal Procedure adopted during
the period under review, but remains concerned that persons in police custody do not
always have access to a lawyer from the outset of their deprivation of liberty.

15. The Committee recommends that the State party:

(a) Guarantee that every person deprived of liberty has access to a lawyer from the
very outset of police custody, including during the first interview;

(b) Ensure that detainees are examined by an independent doctor of their choice
within 24 hours of their arrest;

(c) Keep a complete register of every person held in each police station, open to
inspection by the national preventive mechanism.

Migrants and asylum seekers

16. The State party should ensure that no migrant is returned to a country where there
are substantial grounds for believing that he or she would be in danger of being
subjected to torture, and that every decision of return can be appealed with
suspensive effect.

17. The Committee encourages the State party to train police and border officers on
the absolute prohibition of torture and on the Istanbul Protocol.
"""
#: A UPR report of the cycle before the demo's (A/HRC/52/XX), read in and imported before
#: the shots: four of its recommendations repeat, in other words, four of the demo's.
EARLIER_UPR_SYMBOL = "A/HRC/37/XX"
EARLIER_UPR_TEXT = """A/HRC/37/XX

Report of the Working Group on the Universal Periodic Review (demonstration: text
written for Mizan)

144. The following recommendations will be examined by Morocco, which will provide
responses in due time:

144.1 Abolish the death penalty and, in the meantime, maintain the moratorium on
executions and commute death sentences (Portugal);

144.2 Recognise the competence of the Committee on Migrant Workers to receive and
consider individual complaints (Uruguay);

144.3 Train police and border officials on the rights of migrants and refugees, in
particular the principle of non-refoulement (Canada);

144.4 Adopt the draft law on asylum and establish a fair procedure for determining
refugee status (Germany);

144.5 Continue its programmes to reduce school drop-out in rural areas (Qatar);
"""
#: The demo's recommendation whose tags box the shot shows: suggestions from two
#: vocabularies beside its confirmed tags.
SUGGESTED_RECOMMENDATION = "A/HRC/52/XX ¶148.5"


def read_in(page: Page, base: str, text: str, symbol: str, state_under_review: str = "") -> None:
    """Paste ``text`` into the intake page and find its recommendations: the preview."""
    page.goto(f"{base}/staff/recommendations/intake/")
    page.fill("#id_text", text)
    page.fill("#id_document", symbol)
    if state_under_review:
        page.fill("#id_state_under_review", state_under_review)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/staff/recommendations/intake/*/")


def prepare_assist(demo: Demo, page: Page) -> None:
    """As the coordinator: read in and import the earlier UPR report, then let the
    assistant look for near-duplicates, as an operator would after a bulk import."""
    log_in(page, demo.base)
    read_in(page, demo.base, EARLIER_UPR_TEXT, EARLIER_UPR_SYMBOL, "Morocco")
    page.click("main form[action$='/import/'] button[type=submit]")
    page.wait_for_url("**/staff/recommendations/")
    # The demo's task worker embeds the new texts meanwhile; both write to one SQLite
    # file, so a run that meets it busy is tried again.
    for attempt in range(3):
        done = subprocess.run(
            [demo.mizan, "assist", "duplicates"],
            env=demo.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            return
        time.sleep(5 * (attempt + 1))
    raise SystemExit(f"mizan assist duplicates failed: {done.stderr}")


def shoot_intake_preview(base: str, language: str, page: Page) -> None:
    """The preview of pasted concluding observations, as the coordinator, with its last
    row left out of the import."""
    log_in(page, base)
    read_in(page, base, INTAKE_TEXT, INTAKE_SYMBOL)
    page.locator("table.intake-rows tbody tr").last.locator("form button").click()
    page.wait_for_load_state()
    page.locator("table.intake-rows tbody tr.muted").wait_for()
    page.reload()  # the counts and the import button, as they stand now
    shoot_long(page, OUT / f"intake-preview-{language}.png")


def shoot_tag_suggestions(base: str, language: str, page: Page) -> None:
    """A recommendation's tags box, its suggestions beside its confirmed tags, as the
    coordinator (who may accept and reject them)."""
    log_in(page, base)
    page.goto(f"{base}/staff/recommendations/suggested-tags/")
    page.get_by_role("link", name=SUGGESTED_RECOMMENDATION, exact=True).click()
    page.wait_for_load_state()
    page.locator("#tags").screenshot(path=OUT / f"tag-suggestions-{language}.png")


def shoot_suggestion_review(base: str, language: str, page: Page) -> None:
    """The queue of suggested tags to review, as the coordinator."""
    log_in(page, base)
    page.goto(f"{base}/staff/recommendations/suggested-tags/")
    shoot_long(page, OUT / f"suggestion-review-{language}.png")


def shoot_clusters(base: str, language: str, page: Page) -> None:
    """The largest cluster of near-duplicates the assistant proposed, as the coordinator."""
    log_in(page, base)
    page.goto(f"{base}/staff/clusters/")
    page.locator("main .card-list h2 a[href*='/staff/clusters/']").first.click()
    page.wait_for_load_state()
    shoot_long(page, OUT / f"clusters-{language}.png")


# --- Taking them ------------------------------------------------------------------------


@dataclass
class Demo:
    """The demo being shot: its address and what the preparations left to open."""

    base: str
    prepared: Prepared | None = None
    report_jobs: dict[str, str] = field(default_factory=dict)
    #: ``mizan`` and the environment that reach the demo's database, for commands
    mizan: str = "mizan"
    env: dict[str, str] = field(default_factory=dict)

    @property
    def sessions(self) -> Prepared:
        assert self.prepared is not None, "The take needs the sessions' preparation."
        return self.prepared


@dataclass(frozen=True)
class Take:
    """One person's shots: ``files`` names what ``shoot`` writes (without the language;
    what ``--only`` selects), taken in ``viewport`` after the preparations in ``needs``,
    which change the demo: the shots of a partial run show the state of a full one."""

    files: tuple[str, ...]
    shoot: Callable[[Demo, str, Page], None]
    viewport: ViewportSize
    needs: tuple[str, ...] = ()


#: The preparations, in the order they run.
SESSIONS, REVIEW, REPORTS, ASSIST = "sessions", "review", "reports", "assist"

TAKES = [
    Take(
        (
            "dashboard",
            "recommendations",
            "recommendation",
            "history",
            "import-errors",
            "vocabulary",
            "action",
            "progress-report",
            "assessments",
        ),
        lambda demo, language, page: shoot(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("my-work",),
        lambda demo, language, page: shoot_my_work(demo.base, language, page),
        DESKTOP,
        (SESSIONS, REVIEW),
    ),
    Take(
        ("meeting",),
        lambda demo, language, page: shoot_meeting(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("session",),
        lambda demo, language, page: shoot_session(demo.base, language, page),
        DESKTOP,
        (SESSIONS,),
    ),
    Take(
        ("attendance",),
        lambda demo, language, page: shoot_attendance(demo.base, language, page),
        TABLET,
    ),
    Take(
        ("phone-test",),
        lambda demo, language, page: shoot_phone_test(demo.sessions, language, page),
        PHONE,
        (SESSIONS,),
    ),
    Take(
        ("verify",),
        lambda demo, language, page: shoot_verify(demo.base, demo.sessions, language, page),
        DESKTOP,
        (SESSIONS,),
    ),
    Take(
        ("suggestions",),
        lambda demo, language, page: shoot_suggestions(demo.base, language, page),
        DESKTOP,
        (REVIEW,),
    ),
    Take(
        ("review-round",),
        lambda demo, language, page: shoot_review_round(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("review-form",),
        lambda demo, language, page: shoot_review_form(demo.base, language, page),
        DESKTOP,
        (REVIEW,),
    ),
    Take(
        ("decisions",),
        lambda demo, language, page: shoot_decisions(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("phone-suggest",),
        lambda demo, language, page: shoot_phone_suggest(demo.sessions, language, page),
        PHONE,
        (SESSIONS, REVIEW),
    ),
    Take(
        ("phone-suggestions",),
        lambda demo, language, page: shoot_phone_suggestions(demo.sessions, language, page),
        PHONE,
        (SESSIONS, REVIEW),
    ),
    Take(
        ("recommendation-figures",),
        lambda demo, language, page: shoot_recommendation_figures(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("training-figures",),
        lambda demo, language, page: shoot_training_figures(demo.base, language, page),
        DESKTOP,
        (SESSIONS,),
    ),
    Take(
        ("report-job",),
        lambda demo, language, page: shoot_report_job(demo.report_jobs, demo.base, language, page),
        DESKTOP,
        (REPORTS,),
    ),
    Take(
        ("public-recommendations",),
        lambda demo, language, page: shoot_public_recommendations(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("public-action",),
        lambda demo, language, page: shoot_public_action(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("intake-preview",),
        lambda demo, language, page: shoot_intake_preview(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("tag-suggestions",),
        lambda demo, language, page: shoot_tag_suggestions(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("suggestion-review",),
        lambda demo, language, page: shoot_suggestion_review(demo.base, language, page),
        DESKTOP,
    ),
    Take(
        ("clusters",),
        lambda demo, language, page: shoot_clusters(demo.base, language, page),
        DESKTOP,
        (ASSIST,),
    ),
]


def prepare(demo: Demo, browser: Browser, needs: set[str]) -> None:
    """Run the preparations in ``needs``, each in its own browser context, in their
    order: the sessions, the review round, the report jobs, then the assistant's."""
    steps: list[tuple[str, Callable[[Page], None]]] = [
        (SESSIONS, lambda page: setattr(demo, "prepared", prepare_sessions(demo.base, page))),
        (REVIEW, lambda page: prepare_review(demo.base, page)),
        (REPORTS, lambda page: demo.report_jobs.update(prepare_report_jobs(demo.base, page))),
        (ASSIST, lambda page: prepare_assist(demo, page)),
    ]
    for name, step in steps:
        if name in needs:
            context = browser.new_context(viewport=DESKTOP)
            step(context.new_page())
            context.close()


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    names = [name for take in TAKES for name in take.files]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=names,
        metavar="NAME",
        help="take only these shots (file names without the language): " + ", ".join(names),
    )
    parser.add_argument(
        "--language",
        action="append",
        choices=LANGUAGES,
        help="take only this language (repeatable); all three by default",
    )
    return parser.parse_args(argv)


def compile_translations() -> None:
    """Build the .mo files from the current .po files, as ``make demo`` does."""
    django_admin = str(Path(sys.executable).parent / "django-admin")
    subprocess.run(
        [django_admin, "compilemessages", "--ignore=.venv"],
        cwd=ROOT / "src" / "mizan",
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main(argv: Sequence[str] | None = None) -> None:
    options = arguments(argv)
    takes = [take for take in TAKES if not options.only or set(take.files) & set(options.only)]
    languages = [language for language in LANGUAGES if language in (options.language or LANGUAGES)]
    # A full run prepares everything, as it always did, whatever each take declares.
    needs = (
        {need for take in takes for need in take.needs}
        if options.only
        else {SESSIONS, REVIEW, REPORTS, ASSIST}
    )
    OUT.mkdir(parents=True, exist_ok=True)
    compile_translations()
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "MIZAN_DATA_DIR": data_dir}
        mizan = str(Path(sys.executable).parent / "mizan")
        # In a process group of its own: the demo runs a task worker beside the server,
        # which a terminated server would leave running.
        server = subprocess.Popen(
            [mizan, "demo", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            wait_for(port)
            demo = Demo(base=f"http://127.0.0.1:{port}", mizan=mizan, env=env)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                prepare(demo, browser, needs)
                for language in languages:
                    # One browser context per person: each logs in with its own cookies.
                    for take in takes:
                        context = browser.new_context(
                            locale=language,
                            viewport=take.viewport,
                            extra_http_headers={"Accept-Language": language},
                        )
                        # The language cookie, as the switcher sets it: without it, a
                        # demo person's preferred language would win over the browser's.
                        context.add_cookies(
                            [{"name": LANGUAGE_COOKIE, "value": language, "url": demo.base}]
                        )
                        take.shoot(demo, language, context.new_page())
                        context.close()
                browser.close()
        finally:
            with contextlib.suppress(ProcessLookupError):  # it stopped by itself
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
