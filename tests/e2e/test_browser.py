"""The verification pages in a real browser: Debian's chromium, driven by
Playwright (which never downloads a browser of its own here). The browser
opens the URL decoded from the emulated screen, signs in, and allows or
denies; the device pairs or shows the denial."""

import os
import shutil

import pytest

from devflow.core import screens

from .conftest import device_config, screen_qr

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags a root, offline sandbox needs (no background calls home).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make browser` installs Debian's package")
        pytest.skip("chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _approve_in_browser(browser, url, user_code, decision, ca_trusted):
    context = browser.new_context(ignore_https_errors=False)
    page = context.new_page()
    page.goto(url)
    # Arriving from the QR the code is filled in; typed by hand it is not.
    if page.input_value("#user_code") == "":
        page.fill("#user_code", user_code)
    page.click("#continue")
    page.fill("#username", "alice")
    page.fill("#password", "demo")
    page.click("#sign-in")
    assert page.inner_text("#shown-user-code") == user_code
    page.click("#" + decision)
    result = page.get_attribute("#done", "data-result")
    context.close()
    return result


@pytest.mark.parametrize("decision", ["allow", "deny"])
def test_browser_approves_or_denies(browser, make_server, boot_board, tmp_path, decision):
    server = make_server()
    board = boot_board(device_config(server, tmp_path), board="tv", until=None, timeout=60)
    fields = board.pairing_fields()
    url = screen_qr(board)
    assert url == fields["verification_uri_complete"]
    result = _approve_in_browser(browser, url, fields["user_code"], decision, True)
    if decision == "allow":
        assert result == "approved"
        assert board.wait_state("paired")
        assert board.emulator.app.flow.screen[screens.KIND] == "connected"
    else:
        assert result == "denied"
        assert board.wait_state("denied")
        assert board.emulator.app.flow.screen[screens.KIND] == "denied"
