"""Headless Chromium (Debian's, driven by Playwright) on the storefront page, and a few verbs
for talking through the chat widget the way a customer does: keyboard first."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, List, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SHOP_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "reports" / "browser"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Long enough for a slow 2-core machine; a wait ends as soon as its condition holds.
WAIT_MS = 60_000


def skip_without_browser() -> None:
    """Skip (with the reason) where there is no Chromium or no Playwright."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright package is missing: `make setup` installs the dev extra")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium with "
                    "apt-get when it can (see var/apt-chromium.log); SHOP_CHROMIUM points elsewhere")


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A page in a fresh Chromium profile (its own user-data-dir, so no stored chat)."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="widget-browser-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 860})
        context.set_default_timeout(WAIT_MS)
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


class WidgetChat:
    """The storefront page with the rasa-webchat widget, used as a customer would."""

    def __init__(self, page: Any, url: str) -> None:
        self.page, self.url = page, url

    def load(self) -> None:
        self.page.goto(self.url)
        # The widget shows its launcher once the socket.io connection is up.
        self.page.locator(".rw-launcher").wait_for(state="visible")

    def open_with_keyboard(self) -> None:
        launcher = self.page.locator(".rw-launcher")
        launcher.focus()
        self.page.keyboard.press("Enter")
        self.page.locator(".rw-new-message").wait_for(state="visible")

    def say(self, text: str) -> None:
        box = self.page.locator(".rw-new-message")
        box.fill(text)
        box.press("Enter")
        self.page.locator(".rw-client", has_text=text).last.wait_for()

    def wait_for_reply(self, *fragments: str) -> str:
        """Waits until the bot's messages contain every fragment; returns all the bot's text."""
        self.page.wait_for_function(
            """(fragments) => {
                 const said = [...document.querySelectorAll('.rw-response')].map(e => e.innerText).join('\\n');
                 return fragments.every(f => said.includes(f));
               }""", arg=list(fragments), timeout=WAIT_MS)
        return self.bot_text()

    def bot_text(self) -> str:
        return "\n".join(self.page.locator(".rw-response").all_inner_texts())

    def quick_replies(self) -> List[str]:
        return self.page.locator(".rw-replies .rw-reply").all_inner_texts()

    def session_id(self) -> Optional[str]:
        return self.page.evaluate(
            "() => (JSON.parse(localStorage.getItem('chat_session') || '{}')).session_id || null")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path
