"""Refresh (with and without rotation), userinfo and revocation."""


def test_refresh_without_rotation_keeps_the_refresh_token(make_server, run_flow):
    server, http = make_server(access_ttl=600)
    tokens = run_flow(server, http)
    status, fresh, _ = http.refresh(tokens["refresh_token"])
    assert status == 200
    assert fresh["access_token"] != tokens["access_token"]
    assert fresh["expires_in"] == 600
    assert "refresh_token" not in fresh
    assert http.refresh(tokens["refresh_token"])[0] == 200  # still valid


def test_refresh_with_rotation_and_replay_revokes_the_grant(make_server, run_flow):
    server, http = make_server(rotate_refresh=True)
    tokens = run_flow(server, http)
    status, second, _ = http.refresh(tokens["refresh_token"])
    assert status == 200 and second["refresh_token"] != tokens["refresh_token"]
    status, third, _ = http.refresh(second["refresh_token"])
    assert status == 200

    # Replaying a rotated-out refresh token revokes the whole grant.
    status, body, _ = http.refresh(tokens["refresh_token"])
    assert (status, body["error"], body["status_code"]) == (400, "invalid_grant", 400)
    assert http.refresh(third["refresh_token"])[1]["error"] == "invalid_grant"
    assert http.userinfo(third["access_token"])[0] == 401


def test_refresh_with_a_wider_scope_is_invalid_scope(make_server, run_flow):
    server, http = make_server()
    tokens = run_flow(server, http, scope="openid")
    status, body, _ = http.token(grant_type="refresh_token",
                                 refresh_token=tokens["refresh_token"], scope="openid admin")
    assert (status, body["error"]) == (400, "invalid_scope")


def test_userinfo(make_server, run_flow, clock):
    server, http = make_server(access_ttl=100)
    tokens = run_flow(server, http)
    status, claims, _ = http.userinfo(tokens["access_token"])
    assert status == 200
    assert claims == {"sub": "user-alice", "name": "Alice Example",
                      "preferred_username": "alice"}

    clock.advance(100)  # expired
    status, body, headers = http.userinfo(tokens["access_token"])
    assert (status, body["error"]) == (401, "invalid_token")
    assert 'error="invalid_token"' in headers["WWW-Authenticate"]
    assert headers["WWW-Authenticate"].startswith("Bearer")


def test_userinfo_without_or_with_unknown_token(server_http):
    _, http = server_http
    status, _, headers = http.get("/oauth2/userinfo")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    assert "error=" not in headers["WWW-Authenticate"]
    status, _, headers = http.userinfo("nope")
    assert status == 401 and 'error="invalid_token"' in headers["WWW-Authenticate"]


def test_revoke_access_token(make_server, run_flow):
    server, http = make_server()
    tokens = run_flow(server, http)
    status, body, _ = http.revoke(tokens["access_token"], token_type_hint="access_token")
    assert status == 200
    assert http.userinfo(tokens["access_token"])[0] == 401
    assert http.refresh(tokens["refresh_token"])[0] == 200  # grant lives on


def test_revoke_refresh_token_revokes_the_grant(make_server, run_flow):
    server, http = make_server()
    tokens = run_flow(server, http)
    # A wrong hint only widens the search (RFC 7009 section 2.1).
    assert http.revoke(tokens["refresh_token"], token_type_hint="access_token")[0] == 200
    assert http.refresh(tokens["refresh_token"])[1]["error"] == "invalid_grant"
    assert http.userinfo(tokens["access_token"])[0] == 401


def test_revoke_unknown_token_is_200(server_http):
    _, http = server_http
    assert http.revoke("never-issued")[0] == 200


def test_revoke_needs_client_authentication(make_server):
    _, http = make_server(token_endpoint_auth_method="client_secret_basic")
    http.secret = "wrong"
    status, body, _ = http.revoke("anything")
    assert (status, body["error"]) == (401, "invalid_client")
