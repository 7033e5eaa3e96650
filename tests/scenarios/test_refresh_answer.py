"""A refreshed ID token is never read, so session.py overwrites it with
null in the answer's buffer before the answer is parsed (its string is then
never built). Only that value changes, and only where it is a key's string
value: every other answer parses as it was."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "agent"))
from devflow.core.session import _forget_id_token  # noqa: E402


def _forgotten(text):
    data = bytearray(text.encode())
    _forget_id_token(memoryview(data))
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


def test_a_body_that_is_not_writable_is_left_alone():
    _forget_id_token(b'{"id_token": "eyJ.e30.sig"}')
