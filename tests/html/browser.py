"""Headless Chromium (Debian's `chromium` and `chromium-driver`) driven by selenium, for the page's tests.

One browser serves a whole test session (`tests/html/conftest.py`). It is started with the
browser's console and performance logs on, so a test can read every JavaScript error and
every request the page made; Selenium Manager is kept offline and never downloads a driver.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

#: Where Debian puts the browser and its driver.
CHROMIUM = ("chromium", "chromium-browser")
DRIVER = ("chromedriver", "chromium-driver")
#: The clicking walker (tests/html/walk.js), run inside the page.
WALKER = (Path(__file__).with_name("walk.js")).read_text(encoding="utf-8")


def found(names: tuple[str, ...]) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install '.[test]')"
    if found(CHROMIUM) is None or found(DRIVER) is None:
        return "Chromium is not installed (Debian: apt-get install chromium chromium-driver)"
    return None


class Browser:
    """One headless Chromium, with helpers to open a page, size the window and read its logs."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never look anything up
        options = webdriver.ChromeOptions()
        options.binary_location = str(found(CHROMIUM))
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--metrics-recording-only",
            "--hide-scrollbars",
            "--font-render-hinting=none",
        ):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(str(found(DRIVER))))
        self.driver.set_script_timeout(300)
        self.size(360, 640)

    def quit(self) -> None:
        self.driver.quit()

    def size(self, width: int, height: int) -> None:
        """The viewport in CSS pixels, as a phone (under 600 wide) or a desktop window shows it."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
        )

    @contextmanager
    def zone(self, name: str) -> Iterator[None]:
        """The browser's own time zone set to `name` (the reader's zone for the page), then the system's again."""
        self.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": name})
        try:
            yield
        finally:
            self.driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ""})

    def open(self, page: Path, *, now: str | None = None, lang: str | None = None) -> None:
        """Load `page` from disk, the clock fixed at `now`, the language chosen before as `lang`."""
        self.driver.get("about:blank")
        self.drain()
        url = page.resolve().as_uri() + (f"?now={quote(now)}" if now else "")
        self.driver.get(page.resolve().as_uri())  # localStorage of file:// pages, then the page itself
        self.driver.execute_script(
            "localStorage.clear(); if (arguments[0]) localStorage.setItem('pdd-wizard:lang', arguments[0]);", lang
        )
        self.driver.get(url)

    def run(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def walk(self, walks: list[dict[str, Any]], mode: str = "strict") -> list[dict[str, Any]]:
        """Walk the open page once per answers mapping, by clicking its controls (`walk.js`; `mode` as there)."""
        result: list[dict[str, Any]] = self.driver.execute_script(WALKER, walks, mode)
        return result

    def console(self) -> list[dict[str, Any]]:
        """The console's entries since the last call (errors, CSP violations, warnings)."""
        entries: list[dict[str, Any]] = self.driver.get_log("browser")
        return entries

    def requests(self) -> list[str]:
        """The URL of every request the browser sent since the last call (the performance log)."""
        urls = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                urls.append(message["params"]["request"]["url"])
        return urls

    def drain(self) -> None:
        """Forget the logs so far."""
        self.console()
        self.requests()

    def screenshot(self, path: Path, *, whole: bool = False) -> Path:
        """A PNG of the viewport, or of the `whole` page from top to bottom."""
        import base64

        path.parent.mkdir(parents=True, exist_ok=True)
        if not whole:
            self.driver.save_screenshot(str(path))
            return path
        width, height = self.run("return [innerWidth, document.documentElement.scrollHeight]")
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return path
