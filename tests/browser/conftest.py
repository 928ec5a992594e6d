"""Playwright on Debian's Chromium against the live test server, in Arabic and French.

Each browser test takes the ``language`` fixture (parametrised ``ar`` and ``fr``), so the
page is served in that language, and can call ``assert_accessible(page)`` to run axe-core.
A screenshot is saved under ``test-results/`` when a test fails (``--screenshot``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from mizan.accounts.enums import Role
from tests.factories import InstitutionFactory, user_with_role

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS,
            "headless": True}


@pytest.fixture(params=["ar", "fr"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any], language: str) -> dict[str, Any]:
    return {**browser_context_args, "locale": language,
            "extra_http_headers": {"Accept-Language": language},
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def coordinator_account(transactional_db: Any) -> Any:
    nhri = InstitutionFactory(code="nhri", names={"en": "National Human Rights Council",
                                                  "fr": "Conseil national des droits de l'Homme",
                                                  "ar": "المجلس الوطني لحقوق الإنسان"})
    return user_with_role(Role.COORDINATOR, nhri, username="coordinator")


@pytest.fixture
def log_in(page: Page, live_server: Any) -> Callable[[Any], Page]:
    def _log_in(user: Any) -> Page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_url("**/staff/")
        return page

    return _log_in


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    results = _axe.run(page)
    serious = [
        violation for violation in results.response["violations"]
        if violation.get("impact") in {"serious", "critical"}
    ]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else
                    str(node["target"]) for node in v["nodes"][:5])
        for v in serious
    )
    assert not serious, f"Accessibility violations on {page.url}:\n{report}"
