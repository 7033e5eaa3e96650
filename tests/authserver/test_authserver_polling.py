"""The device code grant at the token endpoint (RFC 8628 section 3.4, 3.5),
driven with a FakeClock: no sleeps, no timing luck."""

from joserfc import jwt
from joserfc.jwk import KeySet


def _start(make_server, **settings):
    server, http = make_server(**settings)
    _, device, _ = http.device_authorize(scope="openid profile")
    return server, http, device


def test_pending_slow_down_then_success_with_id_token(make_server, clock):
    server, http, device = _start(make_server, interval=5, ttl=60)
    code = device["device_code"]
    status, body, headers = http.poll(code)
    assert (status, body["error"], body["status_code"]) == (400, "authorization_pending", 400)
    assert body["error_description"]
    assert headers["Cache-Control"] == "no-store"

    clock.advance(1)  # polled faster than 5 s
    status, body, _ = http.poll(code)
    assert (status, body["error"]) == (400, "slow_down")
    assert "interval" not in body

    server.approve(device["user_code"], username="bob")
    status, tokens, _ = http.poll(code)
    assert status == 200
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["scope"] == "openid profile"
    assert tokens["access_token"] and tokens["refresh_token"]

    _, jwks, _ = http.get("/oauth2/jwks")
    decoded = jwt.decode(tokens["id_token"], KeySet.import_key_set(jwks))
    assert decoded.header["alg"] == "RS256"
    claims = decoded.claims
    assert claims["iss"] == server.issuer
    assert claims["aud"] == server.client_id
    assert claims["sub"] == "user-bob"
    assert claims["preferred_username"] == "bob" and claims["name"] == "Bob Example"
    assert claims["iat"] == int(clock())
    assert claims["exp"] == claims["iat"] + 3600


def test_slow_down_adds_5s_for_this_and_all_later_polls(make_server, clock):
    server, http, device = _start(make_server, interval=2)
    code = device["device_code"]
    assert http.poll(code)[1]["error"] == "authorization_pending"
    clock.advance(1)
    assert http.poll(code)[1]["error"] == "slow_down"  # interval now 7
    clock.advance(6.5)
    assert http.poll(code)[1]["error"] == "slow_down"  # interval now 12
    clock.advance(12)
    assert http.poll(code)[1]["error"] == "authorization_pending"
    intervals = [e["interval"] for e in server.events.where(endpoint="token")]
    assert intervals == [2, 7, 12, 12]


def test_slow_down_can_carry_the_new_interval(make_server, clock):
    _, http, device = _start(make_server, interval=1, slow_down_sends_interval=True)
    http.poll(device["device_code"])
    body = http.poll(device["device_code"])[1]
    assert (body["error"], body["interval"]) == ("slow_down", 6)


def test_slow_down_enforcement_can_be_switched_off(make_server):
    _, http, device = _start(make_server, enforce_slow_down=False)
    for _ in range(3):
        assert http.poll(device["device_code"])[1]["error"] == "authorization_pending"


def test_deny_is_access_denied(make_server):
    server, http, device = _start(make_server)
    server.deny(device["user_code"])
    status, body, _ = http.poll(device["device_code"])
    assert (status, body["error"], body["status_code"]) == (400, "access_denied", 400)


def test_expiry_is_expired_token(make_server, clock):
    server, http, device = _start(make_server, ttl=30)
    clock.advance(29.9)
    assert http.poll(device["device_code"])[1]["error"] == "authorization_pending"
    clock.advance(0.1)
    assert http.poll(device["device_code"])[1]["error"] == "expired_token"
    # The page no longer accepts the code either.
    try:
        server.approve(device["user_code"])
        raise AssertionError("approve after expiry should fail")
    except LookupError:
        pass


def test_a_device_code_is_redeemed_once(make_server):
    server, http, device = _start(make_server)
    server.approve(device["user_code"])
    tokens = http.poll(device["device_code"])[1]
    status, body, _ = http.poll(device["device_code"])
    assert (status, body["error"]) == (400, "invalid_grant")
    # Replaying it revoked the grant, as node-oidc-provider does.
    assert http.userinfo(tokens["access_token"])[0] == 401


def test_unknown_device_code_is_invalid_grant(server_http):
    _, http = server_http
    assert http.poll("not-a-real-code")[1]["error"] == "invalid_grant"


def test_approve_accepts_the_code_as_a_person_types_it(make_server):
    server, http, device = _start(make_server)
    server.approve(device["user_code"].replace("-", "").lower())
    assert http.poll(device["device_code"])[0] == 200


def test_injected_failures_answer_the_next_polls(make_server, clock):
    server, http, device = _start(make_server)
    server.inject_failures(2, status=503, retry_after=7)
    for _ in range(2):
        status, body, headers = http.poll(device["device_code"])
        assert (status, body["error"], body["status_code"]) == (
            503, "temporarily_unavailable", 503)
        assert headers["Retry-After"] == "7"
    # Injected answers are not polls: no slow_down for the next one.
    assert http.poll(device["device_code"])[1]["error"] == "authorization_pending"
    assert [e["injected"] for e in server.events.where(endpoint="token")] == [True, True, False]


def test_wait_for_returns_the_matching_event(make_server):
    import threading

    server, http, device = _start(make_server)
    worker = threading.Thread(target=http.poll, args=(device["device_code"],))
    worker.start()
    event = server.wait_for(lambda e: e["endpoint"] == "token", timeout=10)
    worker.join()
    assert event["outcome"] == "authorization_pending"
    assert event["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code"
    assert event["client_auth"] == "none"
    assert event["t"] > server.events[0]["t"]


def test_wait_for_times_out(server_http):
    server, _ = server_http
    try:
        server.wait_for(lambda e: False, timeout=0.05)
        raise AssertionError("expected TimeoutError")
    except TimeoutError:
        pass
