"""The pages in a real headless Chromium (Debian's), driven by the ids the
templates document. Skipped where Playwright or Chromium is missing."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium")


def test_person_approves_in_chromium(make_server):
    server, http = make_server(tls=True)
    device = http.device_authorize()[1]
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            # Chromium does not know our CA; the CA itself is tested elsewhere.
            page = browser.new_context(ignore_https_errors=True).new_page()
            page.goto(device["verification_uri"])
            page.fill("#user_code", "nope")
            page.click("button#continue")
            assert "not valid" in page.text_content("#error")
            page.fill("#user_code", device["user_code"].replace("-", "").lower())
            page.click("button#continue")
            page.fill("#username", "bob")
            page.fill("#password", "demo")
            page.click("button#sign-in")
            assert page.text_content("#shown-user-code") == device["user_code"]
            page.click("button#allow")
            assert page.get_attribute("#done", "data-result") == "approved"
        finally:
            browser.close()
    assert http.poll(device["device_code"])[0] == 200
