import re

import pytest

BASE20 = "BCDFGHJKLMNPQRSTVWXZ"


@pytest.mark.parametrize("charset, length", [
    ("base20", 6), ("base20", 8), ("base20", 9), ("base20", 12),
    ("digits", 6), ("digits", 7), ("digits", 12),
])
def test_user_code_length_and_charset(make_server, charset, length):
    server, http = make_server(charset=charset, code_length=length)
    alphabet = BASE20 if charset == "base20" else "0123456789"
    for _ in range(5):
        status, body, _ = http.device_authorize()
        assert status == 200
        left, dash, right = body["user_code"].partition("-")
        assert dash == "-"
        assert len(left) == length // 2 and len(left + right) == length
        assert set(left + right) <= set(alphabet)


def test_device_authorization_response_fields(make_server):
    server, http = make_server(interval=3, ttl=120)
    status, body, headers = http.device_authorize(scope="openid profile")
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert len(body["device_code"]) >= 32
    assert body["verification_uri"] == server.base_url + "/device"
    assert body["verification_uri_complete"] == (
        server.base_url + "/device?user_code=" + body["user_code"])
    assert body["expires_in"] == 120
    assert body["interval"] == 3


def test_optional_fields_can_be_left_out(make_server):
    _, http = make_server(complete_uri=False, include_interval=False)
    _, body, _ = http.device_authorize()
    assert "verification_uri_complete" not in body
    assert "interval" not in body


def test_without_interval_field_the_server_still_enforces_5s(make_server, clock):
    server, http = make_server(interval=1, include_interval=False)
    _, device, _ = http.device_authorize()
    assert http.poll(device["device_code"])[1]["error"] == "authorization_pending"
    clock.advance(4.9)
    assert http.poll(device["device_code"])[1]["error"] == "slow_down"


def test_unknown_client_is_invalid_client(server_http):
    _, http = server_http
    status, body, _ = http.request("/oauth2/device/authorize", {"client_id": "nobody"})
    assert (status, body["error"], body["status_code"]) == (400, "invalid_client", 400)


def test_scope_outside_supported_list_is_invalid_scope(make_server):
    _, http = make_server(scopes_supported=("openid", "profile"))
    status, body, _ = http.device_authorize(scope="openid admin")
    assert (status, body["error"]) == (400, "invalid_scope")
    assert body["error_description"]


def test_missing_scope_gets_the_default(make_server, run_flow):
    server, http = make_server(default_scope="profile")
    tokens = run_flow(server, http, scope=None)
    assert tokens["scope"] == "profile"
    assert "id_token" not in tokens


def test_repeated_parameter_is_invalid_request(server_http):
    server, http = server_http
    data = f"client_id={server.client_id}&scope=a&scope=b".encode()
    status, body, _ = http.raw("/oauth2/device/authorize", data)
    assert status == 400 and b'"invalid_request"' in body


def test_event_records_a_hash_not_the_device_code(server_http):
    server, http = server_http
    _, body, _ = http.device_authorize()
    event = server.wait_for(lambda e: e["endpoint"] == "device_authorization", timeout=5)
    assert event["outcome"] == "success" and event["user_code"] == body["user_code"]
    assert re.fullmatch(r"[0-9a-f]{12}", event["device_code_id"])
    assert body["device_code"] not in repr(server.events.snapshot())


def test_plain_http_under_a_lan_host_name_is_served(server_http):
    # A board on the LAN reaches the server by its LAN address; Authlib's
    # https check must not turn that into a 500.
    import http.client

    server, _ = server_http
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("POST", "/oauth2/device/authorize", f"client_id={server.client_id}",
                  {"Host": f"192.168.1.5:{server.port}",
                   "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Connection") == "close"
    conn.close()
