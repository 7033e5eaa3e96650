"""An ID token is read for its claims at pairing and never after, so the
answer's buffer is rewritten before the answer is parsed: a refreshed ID
token becomes null, the one that comes at pairing loses its signature
(body.trim_id_token), and the whole JWT's string is never built. Only that
value changes, and only where it is a key's string value: every other
answer parses as it was."""

import base64
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "agent"))
from devflow.core.body import trim_id_token  # noqa: E402
from devflow.core.idtoken import trusted_name  # noqa: E402


def _forgotten(text, keep_claims=False):
    data = bytearray(text.encode())
    trim_id_token(memoryview(data), keep_claims)
    assert len(data) == len(text)   # in place
    return json.loads(bytes(data))


@pytest.mark.parametrize("text", [
    '{"access_token": "a", "id_token": "eyJ.e30.sig", "scope": "openid"}',
    '{"id_token" :\t"abc"}',
    '{"x": ["id_token"], "id_token": "eyJ.e30.sig"}',
])
def test_the_id_token_value_becomes_null(text):
    expected = json.loads(text)
    expected["id_token"] = None
    assert _forgotten(text) == expected


@pytest.mark.parametrize("text", [
    '{"scope": "\\"id_token\\": \\"kept\\""}',   # inside a string
    '{"id_token": "a\\u0062c"}',                  # an escape: not a JWT, left
    '{"id_token": 5}',
    '{"id_token": ""}',
    '{"access_token": "a"}',
])
def test_anything_else_is_left_as_it_was(text):
    assert _forgotten(text) == json.loads(text)
    assert _forgotten(text, keep_claims=True) == json.loads(text)


def test_a_body_that_is_not_writable_is_left_alone():
    trim_id_token(b'{"id_token": "eyJ.e30.sig"}', False)
    trim_id_token(b'{"id_token": "eyJ.e30.sig"}', True)


def _jwt(claims):
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return "eyJhbGciOiJSUzI1NiJ9." + part + "." + "s" * 342


def test_at_pairing_the_signature_goes_and_the_claims_still_name_the_user():
    claims = {"iss": "https://as", "aud": "dev", "exp": 2000, "name": "Alice Example"}
    text = '{"access_token": "a", "id_token": "%s", "scope": "openid"}' % _jwt(claims)
    obj = _forgotten(text, keep_claims=True)
    assert obj["id_token"] == _jwt(claims)[:-342]   # no signature
    assert (obj["access_token"], obj["scope"]) == ("a", "openid")
    assert trusted_name(obj["id_token"], "https://as", "dev", 1000) == "Alice Example"


@pytest.mark.parametrize("value", ["abc", "a.b", "a.b.c.d", "...", "a.b.c."])
def test_at_pairing_a_value_of_other_than_three_parts_is_left(value):
    text = '{"id_token": "%s"}' % value
    assert _forgotten(text, keep_claims=True) == json.loads(text)
