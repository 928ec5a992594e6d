"""Take the user guide's screenshots from a fresh demo, in Arabic, French and English.

Run with ``make screenshots``: it loads the demo into a temporary folder, serves it on a
free local port, drives Debian's Chromium through Playwright and writes PNGs into
``docs/screenshots/``.
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


def shoot(base: str, language: str, page: Page) -> None:
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


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
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
                    context = browser.new_context(
                        locale=language,
                        viewport={"width": 1280, "height": 860},
                        extra_http_headers={"Accept-Language": language},
                    )
                    shoot(base, language, context.new_page())
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main()
