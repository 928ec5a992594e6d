"""Playwright on Debian's Chromium against the live test server, in Arabic and French.

Each browser test takes the ``language`` fixture (parametrised ``ar`` and ``fr``), so the
page is served in that language, and can call ``assert_accessible(page)`` to run axe-core.
A screenshot is saved under ``test-results/`` when a test fails: ``--screenshot`` defaults
to ``only-on-failure`` here (see ``pytest_configure``).

Tests select elements by role, id, name, ``href`` or structure, never by interface text:
the translations change while the tests run. They assert on the data they created, on
counts, on URLs and on ``lang``/``dir``.

A violation already reported with its fix goes in ``KNOWN_VIOLATIONS``: a test that meets
it and otherwise passes is reported as xfailed, with the fix, instead of failing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from mizan.accounts.enums import Role
from mizan.accounts.models import User
from mizan.core.demo.content import DEMO_PASSWORD
from mizan.core.demo.loader import load_demo
from mizan.staff.views.recommendations import PAGE_SIZE
from tests.factories import InstitutionFactory, user_with_role

CHROMIUM = "/usr/bin/chromium"
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
PASSWORD = "correct-horse-battery"


def pytest_configure(config: pytest.Config) -> None:
    # A failing browser test always leaves its screenshot in test-results/, unless the
    # command line asks for something else.
    if not any(arg.startswith("--screenshot") for arg in config.invocation_params.args):
        config.option.screenshot = "only-on-failure"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(params=["ar", "fr"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any], language: str) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": language,
        "extra_http_headers": {"Accept-Language": language},
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page: Page) -> Page:
    # A missing element fails in seconds rather than after Playwright's 30 s.
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def nhri(transactional_db: Any) -> Any:
    return InstitutionFactory(
        code="nhri",
        names={
            "en": "National Human Rights Council",
            "fr": "Conseil national des droits de l'Homme",
            "ar": "المجلس الوطني لحقوق الإنسان",
        },
    )


@pytest.fixture
def coordinator_account(nhri: Any) -> Any:
    return user_with_role(Role.COORDINATOR, nhri, username="coordinator")


@pytest.fixture
def viewer_account(nhri: Any) -> Any:
    return user_with_role(Role.VIEWER, nhri, username="viewer")


@pytest.fixture
def demo(coordinator_account: Any) -> Any:
    """The demo case (shipped vocabularies, two documents, 30-odd recommendations).

    The coordinator account exists first, so the demo keeps it (and its password) and
    attributes the demo's records to it."""
    return load_demo()


def _submit_login(page: Page, live_server: Any, username: str, password: str) -> Page:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/staff/")
    return page


@pytest.fixture
def log_in(page: Page, live_server: Any) -> Callable[[Any], Page]:
    def _log_in(user: Any) -> Page:
        return _submit_login(page, live_server, user.username, PASSWORD)

    return _log_in


@pytest.fixture
def log_in_as(page: Page, live_server: Any, language: str) -> Callable[[str], Page]:
    """Log in as a demo user by username (with the demo's password), in place of whoever
    was logged in: the session cookie goes first, so the login page does not find a user.
    The person's preferred language becomes the test's, as the interface opens in it.
    The coordinator is the exception: the ``demo`` fixture keeps ``coordinator_account``
    and its test password, so log it in with ``log_in(coordinator_account)``."""

    def _log_in_as(username: str) -> Page:
        User.objects.filter(username=username).update(preferred_language=language)
        page.context.clear_cookies()
        return _submit_login(page, live_server, username, DEMO_PASSWORD)

    return _log_in_as


def expect_language(page: Page, language: str) -> None:
    """The page is in ``language``, right to left for Arabic."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")


def expect_results(page: Page, count: int) -> None:
    """The recommendation list shows ``count`` results (rows on the page, and the total)."""
    expect(page.locator(".recommendation-item")).to_have_count(min(count, PAGE_SIZE))
    if count >= 3:
        # Arabic may spell out small numbers ("توصيتان"); from 3 on the figure is written.
        expect(page.locator("#results [role=status]").last).to_contain_text(
            re.compile(rf"(?<!\d){count}(?!\d)")
        )


_axe = Axe()


@dataclass(frozen=True)
class KnownViolation:
    """A violation reported to the template's owners, with the fix proposed to them."""

    rule: str
    html: str  # the start of the offending element's HTML
    fix: str

    def matches(self, violation: dict[str, Any]) -> bool:
        return violation["id"] == self.rule and all(
            node["html"].startswith(self.html) for node in violation["nodes"]
        )


#: Known violations make a test that otherwise passes report as xfailed, with the fix, so
#: the suite stays usable while the template is fixed; any other violation fails the test.
#: Once a template is fixed its entry matches nothing: delete the entry.
KNOWN_VIOLATIONS: list[KnownViolation] = []
_known_seen = pytest.StashKey[set[str]]()
_current_item: list[pytest.Item] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    _current_item.append(item)
    try:
        return (yield)
    finally:
        _current_item.pop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    seen = item.stash.get(_known_seen, set())
    if call.when == "call" and report.passed and seen:
        report.outcome = "skipped"
        report.wasxfail = "known accessibility violation: " + " | ".join(sorted(seen))
    return report


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    results = _axe.run(page)
    serious = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in {"serious", "critical"}:
            continue
        known = next((k for k in KNOWN_VIOLATIONS if k.matches(violation)), None)
        if known is not None and _current_item:
            _current_item[-1].stash.setdefault(_known_seen, set()).add(known.fix)
        else:
            serious.append(violation)
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in v["nodes"][:5]
        )
        for v in serious
    )
    assert not serious, f"Accessibility violations on {page.url}:\n{report}"
