"""Client authentication on both endpoints: none, client_secret_basic,
client_secret_post; a wrong secret is invalid_client with status_code."""

import pytest

METHODS = ["none", "client_secret_basic", "client_secret_post"]


@pytest.mark.parametrize("method", METHODS)
def test_each_method_works_on_both_endpoints(make_server, run_flow, method):
    server, http = make_server(token_endpoint_auth_method=method)
    assert (server.client_secret is None) == (method == "none")
    tokens = run_flow(server, http, auth=method)
    assert tokens["access_token"]
    used = {e["client_auth"] for e in server.events
            if e["endpoint"] in ("device_authorization", "token")}
    assert used == {method}


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_confidential_client_without_secret_is_refused(make_server, method):
    _, http = make_server(token_endpoint_auth_method=method)
    status, body, _ = http.device_authorize(auth="none")
    assert (body["error"], body["status_code"]) == ("invalid_client", status)


# RFC 6749 section 5.2 allows 401 for any invalid_client (and requires it
# after an Authorization header); Authlib answers 401 whenever Basic is an
# accepted method, which it is here.
@pytest.mark.parametrize("method, expected_status", [
    ("client_secret_basic", 401), ("client_secret_post", 401)])
def test_wrong_secret_is_invalid_client(make_server, method, expected_status):
    server, http = make_server(token_endpoint_auth_method=method)
    http.secret = "wrong-secret"
    for call in (http.device_authorize, lambda auth: http.poll("x", auth=auth)):
        status, body, headers = call(auth=method)
        assert status == expected_status
        assert (body["error"], body["status_code"]) == ("invalid_client", expected_status)
        assert headers["WWW-Authenticate"].startswith("Basic")


def test_wrong_method_for_the_client_is_refused(make_server):
    _, http = make_server(token_endpoint_auth_method="client_secret_post")
    status, body, _ = http.device_authorize(auth="client_secret_basic")
    assert (status, body["error"]) == (401, "invalid_client")


def test_device_code_of_another_client_is_refused(make_server):
    server, http = make_server()
    _, device, _ = http.device_authorize()
    from host_tools.authserver.models import Client

    server.store.add_client(Client("other", None, "none", "Other"))
    status, body, _ = http.request("/oauth2/token", {
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "device_code": device["device_code"], "client_id": "other"})
    assert (status, body["error"]) == (400, "unauthorized_client")
