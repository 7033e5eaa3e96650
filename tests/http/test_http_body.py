"""What the core makes of a response body as the http adapter hands it (a
view of its receive buffer) or as fakes do (bytes): body.parse_object,
classify.classify and classify.safe_code."""

import json

import pytest

from devflow.core.body import parse_object
from devflow.core.classify import classify, safe_code
from devflow.core.errors import ProtocolError
from devflow.core.wire import Response

NESTED = b' {"a": "x", "list": [1, {"b": "]"}], "obj": {"c": [2]}, "n": 3} '


def test_json_from_a_view_is_blanked_in_place():
    buffer = bytearray(NESTED + b"junk after the body")
    view = memoryview(buffer)[:len(NESTED)]
    assert parse_object(view) == {"a": "x", "list": 0, "obj": 0, "n": 3}
    assert buffer.endswith(b"junk after the body")  # nothing past the view written
    assert b"[" not in buffer  # the nested values were blanked where they were


def test_json_from_bytes_is_blanked_in_a_copy():
    assert parse_object(NESTED) == {"a": "x", "list": 0, "obj": 0, "n": 3}
    assert parse_object(memoryview(NESTED)) == {"a": "x", "list": 0, "obj": 0, "n": 3}


def test_utf8_is_checked_in_nested_values_too():
    body = '{"a": "\u00e9", "b": ["\u00e9", {"c": "\u20ac"}]}'.encode()
    for data in (body, memoryview(bytearray(body))):
        assert parse_object(data) == {"a": "\u00e9", "b": 0}
    for bad in (b'{"a": 1, "b": ["\xff"]}', b'{"a": 1, "b": {"c": "\xc3"}}', b'{"b": [1, \xe9]}'):
        for data in (bad, memoryview(bytearray(bad))):
            with pytest.raises(ProtocolError):
                parse_object(data)


def test_form_from_a_view():
    assert parse_object(memoryview(bytearray(b"access_token=a%20b&x=1\n"))) == {"access_token": "a b", "x": "1"}


@pytest.mark.parametrize("body", [
    b"", b"   ", b"\xef\xbb\xbf{}", b"\xef\xbb\xbfa=b", b'{"a": "\xff"}', b'{"a": 1}\x00', b"[1]",
    b"{" * 20 + b"}" * 20, b"<html>a=b</html>", b'{"a": 1', b"a b=c",
])
def test_unreadable(body):
    for data in (body, memoryview(bytearray(body))):
        with pytest.raises(ProtocolError):
            parse_object(data)


def test_safe_code():
    assert safe_code("invalid_grant") == "invalid_grant"
    assert safe_code("\u00e9 bad\x01code") == "badcode"
    assert safe_code("x" * 40) == "x" * 32
    for code in (None, 7, "", " \t\u00e9"):
        assert safe_code(code) == "unknown"


@pytest.mark.parametrize("code, kind", [
    ("authorization_pending", "pending"), ("slow_down", "slow_down"),
    ("access_denied", "denied"), ("authorization_declined", "denied"),
    ("expired_token", "expired"), ("invalid_grant", "expired"),
    ("invalid_client", "config"), ("unauthorized_client", "config"), ("unsupported_grant_type", "config"),
    ("invalid_request", "config"), ("invalid_scope", "config"), ("device_flow_disabled", "config"),
    ("server_error", "retry"), ("temporarily_unavailable", "retry"),
    # Looked up as whole names: not a part of one, not two at once.
    ("denied", "other"), ("invalid", "other"), ("access_denied authorization_declined", "other"),
    ("server_error ", "other"), ("mystery", "other"),
])
def test_error_codes_by_kind(code, kind):
    for status in (200, 400):
        assert classify(Response(status, {}, json.dumps({"error": code}).encode())) == (
            kind, {"error": code}, code, None)


def test_answers_without_an_error_code():
    assert classify(Response(302, {"location": "https://elsewhere/"}, b"")) == ("redirect", None, None, None)
    assert classify(Response(200, {"retry-after": "5"}, b'{"a": 1}')) == ("ok", {"a": 1}, None, None)
    assert classify(Response(503, {"retry-after": "5"}, b'{"a": 1}')) == ("retry", {"a": 1}, None, 5)
    assert classify(Response(503, {"retry-after": "9999"}, b"<html>")) == ("retry", None, None, 300)
    for code in ("", 7, None):
        assert classify(Response(400, {}, json.dumps({"error": code}).encode())) == (
            "retry", {"error": code}, None, None)


DISCOVERY = (b'{"issuer": "https://as.example", "jwks_uri": "https://as.example/jwks",'
             b' "scopes_supported": ["openid", "x"], "token_endpoint":"https://as.example/t",'
             b'"claims_parameter_supported":true,"a\\"b":1,"error" : "e", "n": {"x": 1},'
             b' "device_authorization_endpoint": "https://as.example/d", "token_endpoint_x": "y"}')
KEEP = b" issuer device_authorization_endpoint token_endpoint error "


def test_members_not_kept_are_dropped_before_json_reads_them():
    kept = {"issuer": "https://as.example", "token_endpoint": "https://as.example/t",
            "error": "e", "device_authorization_endpoint": "https://as.example/d", "": 0}
    buffer = bytearray(DISCOVERY)
    assert parse_object(memoryview(buffer), KEEP) == kept
    assert b"jwks" not in buffer and b"token_endpoint_x" not in buffer   # in place
    assert parse_object(memoryview(buffer), KEEP) == kept   # read again: the same
    assert parse_object(DISCOVERY, KEEP) == kept
    assert parse_object(b'{"jwks_uri": "x"}', KEEP) == {"": 0}
    assert parse_object(b'{"issuer":"i"}', KEEP) == {"issuer": "i"}
    assert parse_object(DISCOVERY) == json.loads(DISCOVERY.replace(b'["openid", "x"]', b"0")
                                                 .replace(b'{"x": 1}', b"0"))


@pytest.mark.parametrize("body", [
    b'{"jwks": "x", : 2}', b'{"jwks": "x" : 2}', b'{"jwks": "x", "a": "b', b'{"jwks": 1,',
    b'{"jwks": [1, "\xff"]}',
])
def test_dropping_members_makes_no_bad_document_readable(body):
    for data in (body, memoryview(bytearray(body))):
        with pytest.raises(ProtocolError):
            parse_object(data, KEEP)


def test_memory_running_out_is_not_an_unreadable_body(monkeypatch):
    from devflow.core import body as body_module

    class HungryJson:
        @staticmethod
        def loads(text):
            raise MemoryError("injected")

    monkeypatch.setattr(body_module, "json", HungryJson)
    with pytest.raises(MemoryError):
        parse_object(b'{"a": 1}')
