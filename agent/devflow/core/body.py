# Reading a response body as a flat object, whatever the server chose.
#
# Servers differ (see shared/PROVIDERS.md): GitHub answers form-encoded
# unless asked for JSON and sends errors with 200; OpenAM sends pending with
# 403. So the body decides, not the status or the Content-Type: JSON when it
# looks like a JSON object, form-encoded when it looks like name=value pairs,
# anything else (HTML captive portal, truncated JSON) is unreadable.
#
# The callers only need to know that a body is unreadable, so the messages
# are short. No copy of the body is made: bytes(b) and b.decode() share the
# data on MicroPython, and strip() returns the same string when it can.

from micropython import const
import json

from devflow.core import form
from devflow.core.errors import ProtocolError

# Deeper than this is hostile. Checked before parsing so CPython (which would
# raise RecursionError) and MicroPython (which may run out of stack or heap)
# reach the same outcome.
_MAX_DEPTH = const(16)


def _too_deep(data):
    depth = 0
    in_string = escaped = False
    for b in data:
        if in_string:
            if escaped:
                escaped = False
            elif b == 0x5C:  # backslash
                escaped = True
            elif b == 0x22:
                in_string = False
        elif b == 0x22:
            in_string = True
        elif b == 0x7B or b == 0x5B:  # { [
            depth += 1
            if depth > _MAX_DEPTH:
                return True
        elif b == 0x7D or b == 0x5D:
            depth -= 1
    return False


def parse_object(data):
    # Returns a dict, or raises ProtocolError naming what is wrong.
    if not data:
        raise ProtocolError("empty body")
    data = bytes(data)
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            raise UnicodeError   # a BOM: JSON (RFC 8259 8.1) must not start with one
        text = data.decode("utf-8").strip()
    except UnicodeError:
        raise ProtocolError("body is not UTF-8 without a BOM")
    if text.startswith("{"):
        if _too_deep(data):
            raise ProtocolError("JSON nested too deeply")
        try:
            value = json.loads(text)
        except Exception:  # ValueError on both runtimes; MemoryError on a board
            value = None
        if isinstance(value, dict):
            return value
        raise ProtocolError("body is not a JSON object")
    # Form-encoded: name=value first, no markup, no JSON, one line.
    eq = text.find("=")
    amp = text.find("&")
    if (eq > 0 and (amp < 0 or eq < amp) and text.find(" ", 0, eq) < 0
            and "<" not in text and "{" not in text and "\n" not in text):
        try:
            return form.decode(text)
        except Exception:
            pass
    raise ProtocolError("body is neither a JSON object nor a form")
