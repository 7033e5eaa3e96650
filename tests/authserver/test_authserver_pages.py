"""The verification pages, driven over HTTPS by user_agent.py (a person
with a browser, minus the browser), trusting the server's CA."""

import re

import pytest

from host_tools.authserver.user_agent import Browser, UserAgentError, complete_device_flow


@pytest.fixture
def tls_server(make_server):
    return make_server(tls=True)


def _device(http):
    return http.device_authorize(scope="openid profile")[1]


def test_approve_through_the_pages_with_the_complete_uri(tls_server):
    server, http = tls_server
    assert server.base_url == f"https://localhost:{server.port}"
    device = _device(http)
    result = complete_device_flow(device["verification_uri_complete"], device["user_code"],
                                  username="bob", cafile=server.ca_pem_path)
    assert result == "approved"
    status, tokens, _ = http.poll(device["device_code"])
    assert status == 200
    assert http.userinfo(tokens["access_token"])[1]["preferred_username"] == "bob"


def test_deny_through_the_pages(tls_server):
    server, http = tls_server
    device = _device(http)
    result = complete_device_flow(device["verification_uri"], device["user_code"],
                                  allow=False, cadata=server.ca_pem.decode())
    assert result == "denied"
    assert http.poll(device["device_code"])[1]["error"] == "access_denied"


def test_code_is_accepted_lowercase_and_without_hyphen(tls_server):
    server, http = tls_server
    device = _device(http)
    typed = device["user_code"].replace("-", "").lower()
    assert complete_device_flow(device["verification_uri"], typed,
                                cafile=server.ca_pem_path) == "approved"


def test_wrong_code_shows_a_message_and_the_form_again(tls_server):
    server, http = tls_server
    _device(http)
    with pytest.raises(UserAgentError, match="not valid"):
        complete_device_flow(server.base_url + "/device", "BBBB-BBBB",
                             cafile=server.ca_pem_path)


def test_wrong_password_shows_a_message(tls_server):
    server, http = tls_server
    device = _device(http)
    with pytest.raises(UserAgentError, match="Wrong username or password"):
        complete_device_flow(device["verification_uri"], device["user_code"],
                             password="nope", cafile=server.ca_pem_path)
    assert http.poll(device["device_code"])[1]["error"] == "authorization_pending"


def test_consent_page_names_the_client_scopes_and_code(tls_server):
    server, http = tls_server
    device = _device(http)
    browser = Browser(cafile=server.ca_pem_path)
    url, page = browser.open(device["verification_uri_complete"])
    assert page.forms["code-form"]["fields"]["user_code"] == device["user_code"]
    url, page = browser.submit(url, page.forms["code-form"], {}, "continue")
    url, page = browser.submit(url, page.forms["login-form"],
                               {"username": "alice", "password": "demo"}, "sign-in")
    assert url.endswith("/device/consent")
    assert set(page.forms["consent-form"]["buttons"]) == {"allow", "deny"}
    assert server.settings.client_name in page.html
    assert device["user_code"] in page.html
    assert re.search(r'<ul id="scopes">.*openid.*profile', page.html)


def test_post_without_csrf_token_is_refused(tls_server):
    server, http = tls_server
    device = _device(http)
    browser = Browser(cafile=server.ca_pem_path)
    browser.open(server.base_url + "/device")  # gets a session cookie
    url, page = browser.open(server.base_url + "/device",
                             {"user_code": device["user_code"], "csrf_token": "forged"})
    assert "code-form" not in page.forms and "expired" in page.error
    assert http.poll(device["device_code"])[1]["error"] == "authorization_pending"


def test_session_cookie_is_secure_and_httponly(tls_server):
    server, _ = tls_server
    browser = Browser(cafile=server.ca_pem_path)
    browser.open(server.base_url + "/device")
    (cookie,) = list(browser.cookies)
    assert cookie.secure and cookie.has_nonstandard_attr("HttpOnly")


def test_root_redirects_to_the_code_page(tls_server):
    server, _ = tls_server
    url, page = Browser(cafile=server.ca_pem_path).open(server.base_url + "/")
    assert url.endswith("/device") and "code-form" in page.forms


def test_page_decisions_are_events(tls_server):
    server, http = tls_server
    device = _device(http)
    complete_device_flow(device["verification_uri"], device["user_code"],
                         cafile=server.ca_pem_path)
    event = server.wait_for(lambda e: e["endpoint"] == "verification", timeout=5)
    assert (event["outcome"], event["username"], event["via"]) == ("approved", "alice", "page")
