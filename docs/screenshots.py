"""Take the user guide's screenshots from a fresh demo, in Arabic, French and English.

Run with ``make screenshots``: it compiles the translations, loads the demo into a
temporary folder, serves it on a free local port, drives Debian's Chromium through
Playwright and writes PNGs into ``docs/screenshots/``. Pages are taken as the demo person
who would use them: the coordinator, the police focal point (my work) and the police
member of the joint committee (a meeting).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

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


def wait_for(port: int, seconds: float = 60) -> None:
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
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "recommendations.csv",
                "mimeType": "text/csv",
                "buffer": bad.encode(),
            }
        ],
    )
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
                for language in ("ar", "fr", "en"):
                    # One browser context per person: each logs in with its own cookies.
                    for take in (shoot, shoot_my_work, shoot_meeting):
                        context = browser.new_context(
                            locale=language,
                            viewport={"width": 1280, "height": 860},
                            extra_http_headers={"Accept-Language": language},
                        )
                        take(base, language, context.new_page())
                        context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
