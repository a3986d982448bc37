"""``k8stui web`` in a real browser: Chromium (through Selenium) plays level 1 to the win.

The page draws the terminal on a canvas, so the test reads what the game sent instead: a
script installed before the page loads copies every websocket frame into ``window``, and the
text is the frames with their escape sequences removed. Needs Debian's ``chromium`` and
``chromium-driver`` and the ``web`` extra; skips with the reason otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="the web extra (textual-serve) is not installed")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="no browser: install Debian's chromium and chromium-driver (apt) for this test",
)
ASSETS = Path(__file__).resolve().parent.parent / "assets"
SERVER_LIFETIME = 240
# Collects the game's output frames as text, before textual.js opens its socket.
TAP = """
window.__screen = [];
const Real = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = protocols === undefined ? new Real(url) : new Real(url, protocols);
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") {
      window.__screen.push(new TextDecoder().decode(event.data));
    }
  });
  return socket;
};
window.WebSocket.prototype = Real.prototype;
Object.assign(window.WebSocket, Real);
"""
ESCAPE = re.compile(r"\x1b(\[[0-9;:?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A ``k8stui web`` on 127.0.0.1, any free port, stopped by its PID afterwards."""
    env = dict(os.environ, K8STUI_DATA_DIR=str(tmp_path / "user"))
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        # A file, not a pipe: a pipe nobody reads would stall the server once it fills.
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "k8stui", "web", "--port", "0"),
                *("--exit-after", str(SERVER_LIFETIME), "--data-dir", str(tmp_path / "players")),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
    url = None
    for _ in range(300):
        found = re.search(r"serving on (http://\S+/)", log.read_text())
        if found or process.poll() is not None:
            url = found.group(1) if found else None
            break
        time.sleep(0.1)
    try:
        assert url is not None, f"the server did not start: {log.read_text()[-2000:]}"
        yield url
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def browser() -> Iterator[object]:
    """Headless Chromium at a laptop's window size."""
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.add_argument("--window-size=1280,800")
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.set_script_timeout(10)
    try:
        yield driver
    finally:
        driver.quit()


def screen_text(driver: object) -> str:
    """Everything the game has drawn so far, as plain text."""
    frames = driver.execute_script("return (window.__screen || []).join('')")  # type: ignore[attr-defined]
    return ESCAPE.sub("", frames)


def wait_for(driver: object, text: str, timeout: float, since: int = 0) -> int:
    """Wait until ``text`` appears after offset ``since``; returns where the screen ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen_text(driver)
        if text in shown[since:]:
            return len(shown)
        time.sleep(0.25)
    raise AssertionError(f"{text!r} did not appear in {timeout}s; last: {shown[-600:]!r}")


def keys(driver: object, text: str) -> None:
    """Type into the terminal (its hidden textarea takes the keyboard)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore[attr-defined]
    box.send_keys(text.replace("\n", Keys.ENTER))


def test_browser_plays_level_one_to_the_win(server: str, browser: object, tmp_path: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TAP})  # type: ignore[attr-defined]
    browser.get(server)  # type: ignore[attr-defined]
    assert re.search(r"/play/[0-9a-f]{32}$", browser.current_url)  # type: ignore[attr-defined]
    mark = wait_for(browser, "First pod", 30)
    keys(browser, "\n")
    mark = wait_for(browser, "Your first pod", 15, mark)
    keys(browser, "\n")
    # The first play opens a tour over the screen (it may be drawn in the same update as the
    # panes, so both are looked for from the briefing on); Escape skips it.
    wait_for(browser, "Goals", 15, mark)
    mark = wait_for(browser, "Esc skip", 15, mark)
    keys(browser, Keys.ESCAPE)
    time.sleep(1.0)
    # Typing anywhere on the play screen goes to the console.
    keys(browser, "kubectl run kubia --image=luksa/kubia --port=8080\n")
    mark = wait_for(browser, "pod/kubia created", 15, mark)
    keys(browser, "kubectl get pods\n")
    mark = wait_for(browser, "READY", 15, mark)
    wait_for(browser, "Running", 30, mark)
    # The README's picture is renewed on request only, so a test run leaves the tree as it was.
    shots = ASSETS if os.environ.get("K8STUI_UPDATE_ASSETS") == "1" else tmp_path
    shots.mkdir(exist_ok=True)
    browser.save_screenshot(str(shots / "browser-play.png"))  # type: ignore[attr-defined]
    # The result screen's heading (the console's own note says "All goals met: ...").
    wait_for(browser, "First pod: level complete", 60, mark)
