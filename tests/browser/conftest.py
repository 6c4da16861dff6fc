"""Headless Chromium for the page tests (Playwright driving the system's Chromium).

The tests are skipped, saying why, when Playwright or Chromium is missing
locally; with ``CLAIMX_BROWSER_TESTS=required`` (set by ``.ci/run``) they
fail instead. Screenshots go to ``tests/artifacts/browser/`` (ignored by git),
or to ``$CLAIMX_ARTIFACTS``; those the README shows are also written to
``docs/`` with ``CLAIMX_DOCS_SCREENSHOTS=1``::

    CLAIMX_DOCS_SCREENSHOTS=1 pytest tests/browser    # refresh docs/*.png
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("CLAIMX_BROWSER_TESTS", "") == "required"
TO_DOCS = os.environ.get("CLAIMX_DOCS_SCREENSHOTS", "") not in ("", "0")
LAPTOP = {"width": 1400, "height": 900}
PHONE = {"width": 400, "height": 900}
CHROMIUM = os.environ.get("CLAIMX_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[browser]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CLAIMX_CHROMIUM)"
    return None


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("CLAIMX_ARTIFACTS") or ROOT / "tests" / "artifacts") / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page: Page, artifacts: Path, name: str, *, docs: bool = False) -> None:
    """The page's viewport as ``<artifacts>/<name>``; also ``docs/<name>`` when it is one
    the README shows (``docs``) and ``CLAIMX_DOCS_SCREENSHOTS`` is set."""
    page.screenshot(path=str(artifacts / name))
    if docs and TO_DOCS:
        page.screenshot(path=str(ROOT / "docs" / name))


# Module scope, not session: while Playwright's sync API runs, the main thread has
# a running event loop, and the asyncio tests of the other folders would fail.
@pytest.fixture(scope="module")
def context() -> Iterator[BrowserContext]:
    """One Chromium with a fresh profile, a laptop viewport and touch events on (a test
    sets a phone's with ``page.set_viewport_size(PHONE)``)."""
    reason = _unavailable()
    if reason is not None:
        if REQUIRED:
            pytest.fail(f"browser tests are required (CLAIMX_BROWSER_TESTS=required): {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="claimx-chromium-") as profile, sync_playwright() as p:
        # A persistent context is how Playwright takes a fresh --user-data-dir.
        ctx = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport=LAPTOP,
            has_touch=True,
        )
        yield ctx
        ctx.close()


class Console:
    """Every console error and uncaught exception of a page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def page(context: BrowserContext) -> Iterator[tuple[Page, Console]]:
    p = context.new_page()
    yield p, Console(p)
    p.close()
