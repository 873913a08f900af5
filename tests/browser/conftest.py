"""Browser tests: Playwright drives Debian's Chromium against a live server holding the test database.

Without Chromium these tests skip with a loud reason, except under CI, where a missing browser fails the run
(.ci/run installs it).
"""

import os
import shutil
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import Permission, User

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "a-long-staff-password-42"

pytestmark = pytest.mark.browser


def _chromium_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}: browser tests of the staff panel did NOT run"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed: browser tests of the staff panel did NOT run"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per test module: Playwright's sync API keeps an event loop marked running in this thread
    while it is open, which later (async) tests must not inherit."""
    missing = _chromium_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    # The test's own ORM calls run in this thread while that loop is marked running; they are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A fresh browser context at 1366×800 speaking Russian, as most of our staff do."""
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="ru-RU", base_url=live_server.url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


def make_staff(username: str, *permissions: str, superuser: bool = False, groups: tuple[str, ...] = ()) -> User:
    """A staff account with the given permissions ("app_label.codename") or group names."""
    if superuser:
        return User.objects.create_superuser(username, f"{username}@example.com", PASSWORD)
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, is_staff=True)
    for name in permissions:
        app_label, codename = name.split(".", 1)
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    for name in groups:
        user.groups.add(user.groups.model.objects.get(name=name))
    return user


@pytest.fixture
def staff() -> Callable[..., User]:
    return make_staff


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the admin's login form, as staff do."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def login() -> Callable[..., None]:
    return log_in
