"""Writes the protocol scenarios in data/ (the JSON files are the test data;
this script is how they were written, and how to add more without typing
JSON by hand). Run it from anywhere: python tests/scenarios/write_scenarios.py

Times are milliseconds since boot; with the default rand of 0 there is no
jitter, so every wait is exact: interval * 1.2 between polls (the 20 %
margin), doubling from that on transport failures, capped at 60 s."""

import base64
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
for f in os.listdir(OUT):
    if f.endswith(".json"):
        os.remove(os.path.join(OUT, f))
def S(name, steps, end, **kw):
    d = {"name": name}; d.update(kw); d["steps"] = steps; d["end"] = end
    with open(os.path.join(OUT, name + ".json"), "w") as f: json.dump(d, f, indent=1)
def da(at=0, code=None, **kw):
    return dict({"at": at, "request": "device_authorization", "reply": {"status": 200, "json": {"$code": code or {}}}}, **kw)
def da_raw(at, status=200, json_=None, body=None, headers=None):
    r = {"status": status}
    if json_ is not None: r["json"] = json_
    if body is not None: r["body"] = body
    if headers: r["headers"] = headers
    return {"at": at, "request": "device_authorization", "reply": r}
def poll(at, status=400, error=None, json_=None, body=None, headers=None, **kw):
    r = {"status": status}
    if error: r["json"] = {"error": error}
    if json_ is not None: r["json"] = json_
    if body is not None: r["body"] = body
    if headers: r["headers"] = headers
    return dict({"at": at, "request": "token", "reply": r}, **kw)
def ok(at, tokens=None, status=200):
    return {"at": at, "request": "token", "reply": {"status": status, "json": {"$tokens": tokens or {}}}}
def fail(at, kind, request="token"):
    return {"at": at, "request": request, "fail": kind}
def jwt(claims):
    b = lambda o: base64.urlsafe_b64encode(json.dumps(o).encode()).rstrip(b"=").decode()
    return b({"alg": "RS256"}) + "." + b(claims) + ".c2ln"
PAIRED = {"state": "paired", "screen": "connected", "saved": 1}

# -- happy paths and the interval -------------------------------------------
S("happy_path", [da(body={"client_id": "devflow-test", "scope": "openid profile offline_access"}),
                 poll(6000, error="authorization_pending", body={"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": "DEVICECODE-SECRET-1", "client_id": "devflow-test"}),
                 ok(12000)], PAIRED)
S("interval_absent_defaults_to_5", [da(code={"interval": None}), poll(6000, error="authorization_pending"), ok(12000)], PAIRED)
S("interval_zero_defaults_to_5", [da(code={"interval": 0}), poll(6000, error="authorization_pending"), ok(12000)], PAIRED)
S("interval_negative_defaults_to_5", [da(code={"interval": -3}), ok(6000)], PAIRED)
S("interval_numeric_string", [da(code={"interval": "7"}), poll(8400, error="authorization_pending"), ok(16800)], PAIRED)
S("interval_float_rounds_up", [da(code={"interval": 5.5}), ok(7200)], PAIRED)
S("interval_true_defaults_to_5", [da(code={"interval": True}), ok(6000)], PAIRED)
S("interval_bad_string_defaults_to_5", [da(code={"interval": "soon"}), ok(6000)], PAIRED)
S("interval_huge_clamped_to_60", [da(code={"interval": 86400}), ok(72000)], PAIRED)
S("interval_longer_than_lifetime", [da(code={"interval": 30, "expires_in": 10}), poll(6000, error="authorization_pending")],
  {"advance_to": 10000, "state": "expired", "screen": "expired", "idle": True})
S("margin_twenty_percent", [da(code={"interval": 10}), poll(12000, error="authorization_pending"), ok(24000)], PAIRED)

# -- slow_down ---------------------------------------------------------------
S("slow_down_once", [da(), poll(6000, error="authorization_pending"), poll(12000, error="slow_down"),
                     poll(24000, error="authorization_pending"), ok(36000)], PAIRED)
S("slow_down_five_in_a_row", [da(), poll(6000, error="slow_down"), poll(18000, error="slow_down"), poll(36000, error="slow_down"),
                              poll(60000, error="slow_down"), poll(90000, error="slow_down"), poll(126000, error="authorization_pending"),
                              ok(162000)], PAIRED)
S("slow_down_with_larger_interval_github", [da(), poll(6000, json_={"error": "slow_down", "interval": 30}), ok(42000)], PAIRED)
S("slow_down_with_smaller_interval", [da(), poll(6000, json_={"error": "slow_down", "interval": 7}), ok(18000)], PAIRED)
S("slow_down_then_deadline", [da(code={"expires_in": 40}), poll(6000, error="slow_down"), poll(18000, error="slow_down"),
                              poll(36000, error="authorization_pending")],
  {"advance_to": 40000, "state": "expired", "screen": "expired", "idle": True})

# -- transport failures and server errors ------------------------------------
S("backoff_on_5xx", [da(), poll(6000, status=500, body="oops"), poll(18000, status=502, body=""), poll(42000, status=504, body=""),
                     poll(90000, error="authorization_pending"), ok(96000)], PAIRED)
S("backoff_capped_at_60s", [da(code={"expires_in": 900}), poll(6000, status=500), poll(18000, status=500), poll(42000, status=500),
                            poll(90000, status=500), poll(150000, status=500), poll(210000, error="authorization_pending"), ok(216000)], PAIRED)
S("backoff_jitter_never_below", [da(), poll(6000, status=503)] + [ok(19500)], PAIRED, rand=0.5)
S("backoff_on_timeout", [da(), fail(6000, "timeout"), fail(18000, "reset"), poll(42000, error="authorization_pending"), ok(48000)],
  PAIRED)
S("backoff_on_dns_failure", [da(), fail(6000, "dns"), ok(18000)], PAIRED)
S("network_status_on_pairing_screen", [da(), fail(6000, "connect")],
  {"state": "polling", "screen": "pairing", "status": "Server unreachable, retrying", "user_code": "WDJB-MJHT"})
S("backoff_never_past_deadline", [da(code={"expires_in": 30}), poll(6000, status=500), poll(18000, status=500)],
  {"advance_to": 30000, "state": "expired", "screen": "expired", "idle": True})
S("retry_after_seconds_on_503", [da(), poll(6000, status=503, body="busy", headers={"Retry-After": "30"}), ok(36000)], PAIRED)
S("retry_after_below_interval", [da(), poll(6000, status=429, body="", headers={"Retry-After": "1"}), ok(12000)], PAIRED)
S("retry_after_clamped_to_300s", [da(code={"expires_in": 900}), poll(6000, status=503, body="", headers={"Retry-After": "99999"}), ok(306000)], PAIRED)
S("retry_after_http_date_uses_backoff", [da(), poll(6000, status=503, body="", headers={"Retry-After": "Wed, 21 Oct 2026 07:28:00 GMT"}), ok(18000)], PAIRED)
S("retry_after_http_date_with_wall_clock", [da(), dict(poll(6000, status=503, body="", headers={"Retry-After": "Wed, 21 Oct 2026 07:28:40 GMT"}),
                                              wall=1792567690), ok(36000)], PAIRED)
S("retry_after_http_date_in_the_past", [da(), dict(poll(6000, status=503, body="", headers={"Retry-After": "Wed, 21 Oct 2026 07:28:40 GMT"}),
                                           wall=1792569999), ok(12000)], PAIRED)
S("recovery_resets_backoff", [da(), poll(6000, status=500), poll(18000, error="authorization_pending"), poll(24000, status=500),
                              poll(36000, error="authorization_pending"), ok(42000)], PAIRED)
S("http_400_empty_body_is_a_failure", [da(), poll(6000, status=400, body=""), ok(18000)], PAIRED)
S("http_200_html_captive_portal", [da(), poll(6000, status=200, body="<html><body>Sign in to the hotel Wi-Fi</body></html>"), ok(18000)], PAIRED)
S("error_not_a_string_is_a_failure", [da(), poll(6000, json_={"error": 42}), ok(18000)], PAIRED)

# -- classification by body ----------------------------------------------------
S("pending_with_200_form_encoded_github", [da(), poll(6000, status=200, body="error=authorization_pending&error_description=pending"), ok(12000)], PAIRED)
S("pending_with_403_openam", [da(), poll(6000, status=403, error="authorization_pending"), ok(12000)], PAIRED)
S("slow_down_with_status_code_field", [da(), poll(6000, json_={"error": "slow_down", "status_code": 400, "error_description": "slow down"}), ok(18000)], PAIRED)
S("success_form_encoded_github", [da(), {"at": 6000, "request": "token", "reply": {"status": 200, "body": "access_token=ACCESS-SECRET-9&token_type=bearer&scope=repo"}}], PAIRED)
S("token_type_lowercase_bearer", [da(), ok(6000, {"token_type": "bearer"})], PAIRED)

# -- terminal answers ----------------------------------------------------------
S("access_denied_waits_for_button", [da(), poll(6000, error="authorization_pending"), poll(12000, error="access_denied")],
  {"advance_to": 900000, "state": "denied", "screen": "denied", "idle": True, "saved": 0})
S("denied_then_button_new_code", [da(), poll(6000, error="access_denied"), {"at": 50000, "press": True}, da(50000), ok(56000)], PAIRED)
S("expired_token_waits_for_button", [da(), poll(6000, error="expired_token")],
  {"advance_to": 900000, "state": "expired", "screen": "expired", "idle": True})
S("expired_then_button_new_code", [da(), poll(6000, error="expired_token"), {"at": 700000, "press": True}, da(700000), ok(706000)], PAIRED)
S("invalid_grant_while_polling_means_expired", [da(), poll(6000, error="invalid_grant")], {"state": "expired", "screen": "expired", "idle": True})
S("deadline_ends_polling_while_pending", [da(code={"expires_in": 20}), poll(6000, error="authorization_pending"),
                                          poll(12000, error="authorization_pending"), poll(18000, error="authorization_pending")],
  {"advance_to": 20000, "state": "expired", "screen": "expired", "idle": True})
S("unknown_error_is_terminal", [da(), poll(6000, error="foo")], {"state": "failed", "screen": "error", "idle": True, "lines": ["server says foo", "Press the button for a new code"]})
S("entra_authorization_declined_is_denial", [da(), poll(6000, error="authorization_declined")], {"state": "denied", "screen": "denied"})
S("entra_bad_verification_code_is_terminal", [da(), poll(6000, error="bad_verification_code")], {"state": "failed", "screen": "error", "idle": True})
S("invalid_client_is_config_error", [da(), poll(6000, status=401, error="invalid_client")], {"state": "config_error", "screen": "config_error", "idle": True})
S("unsupported_grant_type_is_config_error", [da(), poll(6000, error="unsupported_grant_type")], {"state": "config_error", "screen": "config_error", "idle": True})
S("redirect_on_poll_not_followed", [da(), poll(6000, status=307, body="", headers={"Location": "https://evil.example/token"})],
  {"state": "failed", "screen": "error", "idle": True})
S("success_without_access_token_never_repolls", [da(), ok(6000, {"access_token": None})],
  {"advance_to": 900000, "state": "needs_auth", "screen": "needs_auth", "idle": True, "saved": 0})
S("token_type_mac_refused", [da(), ok(6000, {"token_type": "mac"})], {"state": "needs_auth", "screen": "needs_auth", "saved": 0, "idle": True})
S("token_type_missing_refused", [da(), ok(6000, {"token_type": None})], {"state": "needs_auth", "screen": "needs_auth", "saved": 0})
S("button_ignored_while_polling", [da(), {"at": 3000, "press": True}, ok(6000)], PAIRED)
S("no_refresh_token_session_ends_at_expiry", [da(), ok(6000, {"refresh_token": None, "expires_in": 60})],
  {"advance_to": 66000, "state": "needs_auth", "screen": "needs_auth", "wiped": 1, "saved": 1})

# -- the device authorization response -----------------------------------------
bad_da = lambda name, reply: S(name, [dict(reply, at=0, request="device_authorization"), da(10000), ok(16000)], PAIRED)
bad_da("da_not_json", {"reply": {"status": 200, "body": "{\"device_code\": \"DEVICECODE-SECRET-1\", "}})
bad_da("da_json_array", {"reply": {"status": 200, "body": "[]"}})
bad_da("da_json_null", {"reply": {"status": 200, "body": "null"}})
bad_da("da_json_number", {"reply": {"status": 200, "body": "42"}})
bad_da("da_device_code_missing", {"reply": {"status": 200, "json": {"$code": {"device_code": None}}}})
bad_da("da_device_code_empty", {"reply": {"status": 200, "json": {"$code": {"device_code": ""}}}})
bad_da("da_user_code_missing", {"reply": {"status": 200, "json": {"$code": {"user_code": None}}}})
bad_da("da_user_code_200_chars", {"reply": {"status": 200, "json": {"$code": {"user_code": "A" * 200}}}})
bad_da("da_user_code_newline", {"reply": {"status": 200, "json": {"$code": {"user_code": "WDJB\nMJHT"}}}})
bad_da("da_user_code_ansi_escape", {"reply": {"status": 200, "json": {"$code": {"user_code": "\u001b[2JWDJB"}}}})
bad_da("da_user_code_bidi_override", {"reply": {"status": 200, "json": {"$code": {"user_code": "WDJB\u202eMJHT"}}}})
bad_da("da_verification_uri_javascript", {"reply": {"status": 200, "json": {"$code": {"verification_uri": "javascript:alert(1)", "verification_uri_complete": None}}}})
bad_da("da_verification_uri_plain_http", {"reply": {"status": 200, "json": {"$code": {"verification_uri": "http://as.example/device"}}}})
bad_da("da_verification_uri_data", {"reply": {"status": 200, "json": {"$code": {"verification_uri": "data:text/html,hi"}}}})
bad_da("da_verification_uri_relative", {"reply": {"status": 200, "json": {"$code": {"verification_uri": "/device"}}}})
bad_da("da_verification_uri_too_long", {"reply": {"status": 200, "json": {"$code": {"verification_uri": "https://as.example/" + "a" * 300}}}})
bad_da("da_only_complete_uri", {"reply": {"status": 200, "json": {"$code": {"verification_uri": None}}}})
bad_da("da_expires_in_missing", {"reply": {"status": 200, "json": {"$code": {"expires_in": None}}}})
bad_da("da_expires_in_zero", {"reply": {"status": 200, "json": {"$code": {"expires_in": 0}}}})
bad_da("da_expires_in_negative", {"reply": {"status": 200, "json": {"$code": {"expires_in": -5}}}})
bad_da("da_expires_in_text", {"reply": {"status": 200, "json": {"$code": {"expires_in": "abc"}}}})
bad_da("da_expires_in_true", {"reply": {"status": 200, "json": {"$code": {"expires_in": True}}}})
bad_da("da_deep_nesting", {"reply": {"status": 200, "body": "{\"a\":" + "[" * 10000 + "]" * 10000 + "}"}})
bad_da("da_byte_order_mark", {"reply": {"status": 200, "body": "\ufeff{}"}})
bad_da("da_html_captive_portal", {"reply": {"status": 200, "body": "<!doctype html><title>Login</title>"}})
bad_da("da_server_error", {"reply": {"status": 500, "body": "Internal Server Error"}})
bad_da("da_network_timeout", {"fail": "timeout"})
bad_da("da_tls_refused", {"fail": "tls"})
S("da_retry_after", [da_raw(0, 503, body="", headers={"Retry-After": "20"}), da(20000), ok(26000)], PAIRED)
S("da_backoff_doubles", [da_raw(0, 500, body=""), da_raw(10000, 500, body=""), da_raw(30000, 500, body=""), da(70000), ok(76000)], PAIRED)
S("da_google_verification_url", [da(code={"verification_uri": None, "verification_uri_complete": None, "verification_url": "https://www.google.com/device"}), ok(6000)],
  PAIRED)
S("da_google_url_shown", [da(code={"verification_uri": None, "verification_uri_complete": None, "verification_url": "https://www.google.com/device"})],
  {"state": "polling", "screen": "pairing", "uri_complete": None, "user_code": "WDJB-MJHT"})
S("da_complete_uri_on_other_host_dropped", [da(code={"verification_uri_complete": "https://evil.example/device?user_code=WDJB-MJHT"})],
  {"state": "polling", "screen": "pairing", "uri_complete": None})
S("da_user_code_grouping_kept", [da(code={"user_code": "123 456 789"})], {"state": "polling", "screen": "pairing", "user_code": "123 456 789"})
S("da_expires_in_numeric_string", [da(code={"expires_in": "20"}), poll(6000, error="authorization_pending"), poll(12000, error="authorization_pending"),
                                   poll(18000, error="authorization_pending")], {"advance_to": 20000, "state": "expired"})
S("da_expires_in_float_floors", [da(code={"expires_in": 12.9}), poll(6000, error="authorization_pending")], {"advance_to": 12000, "state": "expired"})
S("da_expires_in_huge_clamped", [da(code={"expires_in": 1000000000000}), poll(6000, error="authorization_pending"), poll(12000, error="authorization_pending"),
                                 poll(18000, error="authorization_pending"), poll(24000, error="authorization_pending")],
  {"advance_to": 30000, "state": "expired"}, config={"max_code_lifetime": 30})
S("da_entra_message_shown", [da(code={"message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin"})],
  {"state": "polling", "lines": ["To sign in, use a web browser to open the page https://microsoft.com/devicelogin"]})
S("da_unknown_fields_ignored", [da(code={"x-extra": {"nested": [1, 2]}}), ok(6000)], PAIRED)
S("da_invalid_client_is_config_error", [da_raw(0, 401, json_={"error": "invalid_client", "status_code": 401})],
  {"state": "config_error", "screen": "config_error", "idle": True, "lines": ["server says invalid_client"]})
S("da_github_device_flow_disabled", [da_raw(0, 400, body="error=device_flow_disabled")], {"state": "config_error", "screen": "config_error"})
S("da_redirect_not_followed", [da_raw(0, 302, body="", headers={"Location": "https://evil.example/"})], {"state": "failed", "screen": "error", "idle": True})
S("da_host_allow_list", [dict(da(0), reply={"status": 200, "json": {"$code": {"verification_uri": "https://evil.example/device"}}}), da(10000), ok(16000)],
  PAIRED, config={"verification_uri_hosts": ["as.example"]})

# -- client authentication -------------------------------------------------------
S("client_secret_basic_on_both_endpoints",
  [da(body={"client_id": None, "client_secret": None}, headers={"Authorization": "Basic ZGV2Zmxvdy10ZXN0OmNsaWVudC1zZWNyZXQteHl6"}),
   poll(6000, error="authorization_pending", body={"client_id": None, "client_secret": None}, headers={"Authorization": "Basic ZGV2Zmxvdy10ZXN0OmNsaWVudC1zZWNyZXQteHl6"}),
   ok(12000)], PAIRED, config={"client_secret": "client-secret-xyz", "token_endpoint_auth_method": "client_secret_basic"})
S("client_secret_post_on_both_endpoints",
  [da(body={"client_id": "devflow-test", "client_secret": "client-secret-xyz"}, headers={"Authorization": None}),
   poll(6000, error="authorization_pending", body={"client_id": "devflow-test", "client_secret": "client-secret-xyz"}), ok(12000)],
  PAIRED, config={"client_secret": "client-secret-xyz", "token_endpoint_auth_method": "client_secret_post"})
S("client_auth_none", [da(body={"client_id": "devflow-test", "client_secret": None}, headers={"Authorization": None, "Accept": "application/json"}), ok(6000)], PAIRED)

# -- time ------------------------------------------------------------------------------
WRAP = (1 << 30) - 7000
S("ticks_wrap_while_polling", [da(), poll(6000, error="authorization_pending"), poll(12000, error="slow_down"), ok(24000)], PAIRED, start=WRAP)
S("ticks_wrap_deadline", [da(code={"expires_in": 20}), poll(6000, error="authorization_pending"), poll(12000, error="authorization_pending"),
                          poll(18000, error="authorization_pending")], {"advance_to": 20000, "state": "expired"}, start=(1 << 30) - 15000)

# -- identity --------------------------------------------------------------------------
good = jwt({"iss": "https://as.example", "aud": "devflow-test", "sub": "u1", "name": "Alice Example", "exp": 2000000000, "iat": 1700000000})
S("id_token_name_shown", [da(), ok(6000, {"id_token": good})], dict(PAIRED, lines=["Alice Example"]))
S("id_token_wrong_audience_not_trusted", [da(), ok(6000, {"id_token": jwt({"aud": "someone-else", "name": "Mallory", "exp": 2000000000})})],
  dict(PAIRED, lines=[]))
S("id_token_wrong_issuer_not_trusted", [{"at": 0, "request": "discovery", "reply": {"status": 200, "json": {
    "issuer": "https://as.example", "device_authorization_endpoint": "https://as.example/device_authorization", "token_endpoint": "https://as.example/token"}}},
    da(), ok(6000, {"id_token": jwt({"iss": "https://other.example", "aud": "devflow-test", "name": "Mallory", "exp": 2000000000})})],
  dict(PAIRED, lines=[]), config={"issuer": "https://as.example", "device_authorization_endpoint": None, "token_endpoint": None})
S("id_token_expired_not_trusted", [da(), dict(ok(6000, {"id_token": jwt({"aud": "devflow-test", "name": "Old", "exp": 1600000000})}), wall=1800000000)],
  dict(PAIRED, lines=[]))
S("id_token_malformed_not_trusted", [da(), ok(6000, {"id_token": "not-a-jwt"})], dict(PAIRED, lines=[]))

# -- discovery ------------------------------------------------------------------------------
META = {"issuer": "https://as.example", "device_authorization_endpoint": "https://as.example/da2", "token_endpoint": "https://as.example/tok2"}
DISC = {"issuer": "https://as.example", "device_authorization_endpoint": None, "token_endpoint": None}
S("discovery_then_pairing", [{"at": 0, "request": "discovery", "reply": {"status": 200, "json": META}}, da(), ok(6000)], PAIRED, config=DISC)
S("discovery_issuer_mismatch", [{"at": 0, "request": "discovery", "reply": {"status": 200, "json": dict(META, issuer="https://evil.example")}}],
  {"state": "config_error", "screen": "config_error", "idle": True}, config=DISC)
S("discovery_without_device_endpoint", [{"at": 0, "request": "discovery", "reply": {"status": 200, "json": dict(META, device_authorization_endpoint=None)}}],
  {"state": "config_error", "screen": "config_error"}, config=DISC)
S("discovery_retries_on_failure", [{"at": 0, "request": "discovery", "fail": "dns"}, {"at": 10000, "request": "discovery", "reply": {"status": 200, "json": META}},
                                   da(10000), ok(16000)], PAIRED, config=DISC)

# -- paired: refresh and the API ----------------------------------------------------------------------
STORED = {"access_token": "ACCESS-SECRET-0", "refresh_token": "REFRESH-SECRET-0", "name": "Alice"}
def refresh(at, reply=None, fail_kind=None, **kw):
    if fail_kind: return dict({"at": at, "request": "refresh", "fail": fail_kind}, **kw)
    return dict({"at": at, "request": "refresh", "reply": reply}, **kw)
S("boot_with_tokens_refreshes", [refresh(0, {"status": 200, "json": {"$tokens": {"refresh_token": "REFRESH-SECRET-2"}}},
                                         body={"grant_type": "refresh_token", "refresh_token": "REFRESH-SECRET-0"})],
  {"state": "paired", "screen": "connected", "saved": 1, "lines": ["Alice"]}, tokens=STORED)
S("refresh_ahead_of_expiry_with_rotation", [da(), ok(6000, {"expires_in": 300}),
   refresh(276000, {"status": 200, "json": {"$tokens": {"refresh_token": "REFRESH-SECRET-2", "expires_in": 300}}}, body={"refresh_token": "REFRESH-SECRET-1"}),
   refresh(546000, {"status": 200, "json": {"$tokens": {"refresh_token": None, "expires_in": 300}}}, body={"refresh_token": "REFRESH-SECRET-2"}),
   refresh(816000, {"status": 200, "json": {"$tokens": {"expires_in": 300}}}, body={"refresh_token": "REFRESH-SECRET-2"})],
  {"state": "paired", "saved": 4})
S("refresh_invalid_grant_wipes", [refresh(0, {"status": 400, "json": {"error": "invalid_grant"}})],
  {"state": "needs_auth", "screen": "needs_auth", "wiped": 1, "idle": True}, tokens=STORED)
S("refresh_5xx_retries_with_table", [refresh(0, {"status": 500, "body": ""}), refresh(1000, {"status": 503, "body": ""}), refresh(3000, fail_kind="timeout"),
                                     refresh(7000, {"status": 200, "json": {"$tokens": {}}})],
  {"state": "paired", "saved": 1, "status": None}, tokens=STORED, rand=0.5)
S("refresh_invalid_client_is_config_error", [refresh(0, {"status": 401, "json": {"error": "invalid_client"}})],
  {"state": "config_error", "screen": "config_error", "idle": True, "lines": ["server says invalid_client"]}, tokens=STORED)
S("refresh_failing_status_shown", [refresh(0, fail_kind="timeout")], {"state": "paired", "status": "Refresh failing, retrying"}, tokens=STORED, rand=0.5)
S("long_press_unpairs", [da(), ok(6000), {"at": 10000, "press": True, "long": True}],
  {"state": "needs_auth", "screen": "needs_auth", "wiped": 1, "idle": True})
S("long_press_revokes_then_wipes", [da(), ok(6000), {"at": 10000, "press": True, "long": True},
   {"at": 10000, "request": "revoke", "body": {"token": "REFRESH-SECRET-1", "token_type_hint": "refresh_token"}, "reply": {"status": 200, "body": ""}}],
  {"state": "needs_auth", "screen": "needs_auth", "wiped": 1, "idle": True}, config={"revocation_endpoint": "https://as.example/revoke"})
S("long_press_revocation_failure_still_unpairs", [da(), ok(6000), {"at": 10000, "press": True, "long": True},
   {"at": 10000, "request": "revoke", "fail": "timeout"}],
  {"state": "needs_auth", "wiped": 1, "idle": True}, config={"revocation_endpoint": "https://as.example/revoke"})
S("needs_auth_then_button", [refresh(0, {"status": 400, "json": {"error": "invalid_grant"}}), {"at": 1000, "press": True}, da(1000), ok(7000)],
  {"state": "paired", "saved": 1}, tokens=STORED)
UI = {"userinfo_endpoint": "https://as.example/userinfo"}
api = lambda at, status, json_=None, body="", **kw: dict({"at": at, "request": "api", "reply": dict({"status": status}, **({"json": json_} if json_ is not None else {"body": body}))}, **kw)
S("userinfo_name_after_pairing", [da(), ok(6000, {"expires_in": 600}), api(6000, 200, {"sub": "u1", "name": "Bob Builder"}, headers={"Authorization": "Bearer ACCESS-SECRET-1"})],
  dict(PAIRED, lines=["Bob Builder"]), config=UI)
S("api_401_one_refresh_one_retry", [da(), ok(6000), api(6000, 401), refresh(6000, {"status": 200, "json": {"$tokens": {"access_token": "ACCESS-SECRET-2"}}}),
                                    api(6000, 200, {"name": "Bob"}, headers={"Authorization": "Bearer ACCESS-SECRET-2"})],
  {"state": "paired", "saved": 2, "lines": ["Bob"]}, config=UI)
S("api_401_twice_needs_auth", [da(), ok(6000), api(6000, 401), refresh(6000, {"status": 200, "json": {"$tokens": {}}}), api(6000, 401)],
  {"state": "needs_auth", "wiped": 1, "idle": True}, config=UI)
S("api_403_insufficient_scope_no_loop", [da(), ok(6000, {"refresh_token": None, "expires_in": 600}), api(6000, 403, {"error": "insufficient_scope"})],
  {"state": "paired", "status": "API error 403", "advance_to": 500000}, config=UI)
# A refreshed ID token is not read: the name and ID token checked at pairing stay.
S("refresh_id_token_not_read", [da(), ok(6000, {"id_token": good, "expires_in": 300}),
   refresh(276000, {"status": 200, "json": {"$tokens": {"id_token": jwt({"iss": "https://as.example", "aud": "devflow-test", "name": "Mallory", "exp": 2000000000})}}})],
  {"state": "paired", "saved": 2, "lines": ["Alice Example"]})
# A refresh put off past the access token's expiry (Retry-After): the expiry
# alone is nothing to wake for while a refresh token is held; the runner
# fails a wake with nothing due (a board's loop would spin until 396 s).
S("refresh_retry_past_expiry_no_spin", [da(), ok(6000, {"expires_in": 300}),
   refresh(276000, {"status": 503, "body": "", "headers": {"Retry-After": "120"}}),
   refresh(396000, {"status": 200, "json": {"$tokens": {}}})],
  {"state": "paired", "saved": 2, "advance_to": 500000})
print(len(os.listdir(OUT)))
