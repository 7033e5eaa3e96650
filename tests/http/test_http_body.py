"""What the core makes of a response body as the http adapter hands it (a
view of its receive buffer) or as fakes do (bytes): body.parse_object and
classify.safe_code."""

import pytest

from devflow.core.body import parse_object
from devflow.core.classify import safe_code
from devflow.core.errors import ProtocolError

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
