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
session's two suggestions, so that a reviewer has one to score. Every language is then
taken from the same state.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from playwright.sync_api import FilePayload, Page, ViewportSize, sync_playwright

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


def wait_for(port: int, seconds: float = 300) -> None:
    """Wait until the demo serves: it loads the whole demo case first (a minute or two)."""
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


def compile_translations() -> None:
    """Build the .mo files from the current .po files, as ``make demo`` does."""
    django_admin = str(Path(sys.executable).parent / "django-admin")
    subprocess.run(
        [django_admin, "compilemessages", "--ignore=.venv"],
        cwd=ROOT / "src" / "mizan",
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    compile_translations()
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "MIZAN_DATA_DIR": data_dir}
        mizan = str(Path(sys.executable).parent / "mizan")
        server = subprocess.Popen(
            [mizan, "demo", "--port", str(port)], env=env, stdout=subprocess.DEVNULL
        )
        try:
            wait_for(port)
            base = f"http://127.0.0.1:{port}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                setup = browser.new_context(viewport=DESKTOP)
                prepared = prepare_sessions(base, setup.new_page())
                setup.close()
                chair = browser.new_context(viewport=DESKTOP)
                prepare_review(base, chair.new_page())
                chair.close()
                takes: list[tuple[Callable[[str, Page], None], ViewportSize]] = [
                    (partial(shoot, base), DESKTOP),
                    (partial(shoot_my_work, base), DESKTOP),
                    (partial(shoot_meeting, base), DESKTOP),
                    (partial(shoot_session, base), DESKTOP),
                    (partial(shoot_attendance, base), TABLET),
                    (partial(shoot_phone_test, prepared), PHONE),
                    (partial(shoot_verify, base, prepared), DESKTOP),
                    (partial(shoot_suggestions, base), DESKTOP),
                    (partial(shoot_review_round, base), DESKTOP),
                    (partial(shoot_review_form, base), DESKTOP),
                    (partial(shoot_decisions, base), DESKTOP),
                    (partial(shoot_phone_suggest, prepared), PHONE),
                    (partial(shoot_phone_suggestions, prepared), PHONE),
                ]
                for language in ("ar", "fr", "en"):
                    # One browser context per person: each logs in with its own cookies.
                    for take, viewport in takes:
                        context = browser.new_context(
                            locale=language,
                            viewport=viewport,
                            extra_http_headers={"Accept-Language": language},
                        )
                        # The language cookie, as the switcher sets it: without it, a
                        # demo person's preferred language would win over the browser's.
                        context.add_cookies(
                            [{"name": LANGUAGE_COOKIE, "value": language, "url": base}]
                        )
                        take(language, context.new_page())
                        context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
