"""The web view in a real browser (Debian chromium via Playwright): the
page shows the panel read from the emulated controller, pixel for pixel,
and its buttons press the board's buttons."""

import pytest

from conftest import WAIT_S, device_config

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Draws the <img> at its natural size on a canvas and returns its RGB bytes.
_PIXELS_JS = """img => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  const out = [];
  for (let i = 0; i < d.length; i += 4) out.push(d[i], d[i + 1], d[i + 2]);
  return {w: c.width, h: c.height, rgb: out, frame: img.dataset.frame};
}"""


@pytest.fixture
def browser_page():
    import os
    if not os.path.exists(CHROMIUM):
        pytest.skip("no /usr/bin/chromium")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page()
        yield page
        browser.close()


def _panel_matches(page, emulator):
    got = page.eval_on_selector("#panel", _PIXELS_JS)
    image = emulator.image
    return (got["w"], got["h"]) == image.size and bytes(got["rgb"]) == image.tobytes()


def test_web_view_shows_the_panel_and_its_button_restarts_an_expired_pairing(
        make_server, boot_board, tmp_path, browser_page):
    from host_tools.emulator.web import WebView
    server = make_server(ttl=3, interval=1)
    running = boot_board(device_config(server, tmp_path), "ttgo-tdisplay", until=None)
    view = WebView(running.emulator, port=0).start()
    try:
        page = browser_page
        page.goto(view.url)
        page.wait_for_selector("#panel[data-frame]", timeout=WAIT_S * 1000)
        assert page.text_content("#board") == "ttgo-tdisplay"
        # True aspect, crisp scaling.
        assert page.eval_on_selector("#panel", "e => getComputedStyle(e).imageRendering") == "pixelated"
        box = page.eval_on_selector("#panel", "e => [e.clientWidth, e.clientHeight]")
        assert box[0] * 135 == box[1] * 240
        assert running.wait_state("expired", WAIT_S)
        # The page catches up with the emulator's frame and matches it exactly.
        page.wait_for_function("() => document.getElementById('log').textContent.includes('kind=expired')",
                               timeout=WAIT_S * 1000)
        _wait_page_frame(page, view)
        assert _panel_matches(page, running.emulator)
        page.click("button[data-pin='0']:not(.long)")
        assert running.wait(lambda e: sum("pairing_code" in l for l in e.lines) == 2, WAIT_S)
        page.wait_for_function("() => document.getElementById('log').textContent"
                               ".split('pairing_code').length === 3", timeout=WAIT_S * 1000)
    finally:
        view.stop()


def _wait_page_frame(page, view):
    # The page shows the newest frame the web view has numbered.
    number, _ = view.frames.current()
    page.wait_for_function("n => Number(document.getElementById('panel').dataset.frame) >= n"
                           " && document.getElementById('panel').complete", arg=number,
                           timeout=WAIT_S * 1000)
