# Reading a response body as a flat object, whatever the server chose.
#
# Servers differ (see shared/PROVIDERS.md): GitHub answers form-encoded
# unless asked for JSON and sends errors with 200; OpenAM sends pending with
# 403. So the body decides, not the status or the Content-Type: JSON when it
# looks like a JSON object, form-encoded when it looks like name=value pairs,
# anything else (HTML captive portal, truncated JSON) is unreadable.

import json

from devflow.core import form
from devflow.core.errors import ProtocolError

# Deeper than this is hostile. Checked before parsing so CPython (which would
# raise RecursionError) and MicroPython (which may run out of stack or heap)
# reach the same outcome.
_MAX_DEPTH = 16


def _nesting_depth(data):
    depth = 0
    deepest = 0
    in_string = False
    escaped = False
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
            if depth > deepest:
                deepest = depth
                if deepest > _MAX_DEPTH:
                    return deepest
        elif b == 0x7D or b == 0x5D:
            depth -= 1
    return deepest


def _looks_like_form(text):
    if not text or "<" in text or "{" in text or "\n" in text:
        return False
    first = text.split("&")[0]
    eq = first.find("=")
    return eq > 0 and " " not in first[:eq]


def parse_object(data):
    # Returns a dict, or raises ProtocolError naming what is wrong.
    if not data:
        raise ProtocolError("empty body")
    if data[:3] == b"\xef\xbb\xbf":
        raise ProtocolError("body starts with a byte order mark")
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeError:
        raise ProtocolError("body is not UTF-8")
    stripped = text.strip()
    if stripped.startswith("{"):
        if _nesting_depth(data) > _MAX_DEPTH:
            raise ProtocolError("JSON nested too deeply")
        try:
            value = json.loads(stripped)
        except Exception:  # ValueError on both runtimes; MemoryError on a board
            raise ProtocolError("body is not valid JSON")
        if not isinstance(value, dict):
            raise ProtocolError("JSON body is not an object")
        return value
    if _looks_like_form(stripped):
        try:
            return form.decode(stripped)
        except Exception:
            raise ProtocolError("form body is not decodable")
    if stripped[:1] in ("[", '"') or stripped in ("null", "true", "false") or stripped[:1].isdigit():
        raise ProtocolError("JSON body is not an object")
    raise ProtocolError("body is neither JSON nor form-encoded")
