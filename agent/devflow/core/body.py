# Reading a response body as a flat object (its top level only), whatever
# the server chose.
#
# Servers differ (see shared/PROVIDERS.md): GitHub answers form-encoded
# unless asked for JSON and sends errors with 200; OpenAM sends pending with
# 403. So the body decides, not the status or the Content-Type: JSON when it
# looks like a JSON object, form-encoded when it looks like name=value pairs,
# anything else (HTML captive portal, truncated JSON) is unreadable.
#
# A flat body is read without a copy: bytes(b) and b.decode() share the
# data on MicroPython, and strip() returns the same string when it can.

from micropython import const
import json

from devflow.core import form
from devflow.core.errors import ProtocolError

# Deeper than this is hostile: CPython would raise RecursionError,
# MicroPython may run out of stack or heap.
_MAX_DEPTH = const(16)


def parse_object(data):
    # -> a dict, or ProtocolError: the callers only need to know that a body
    # is unreadable, so there is one short message for every reason.
    try:
        data = bytes(data)
        if data.startswith(b"\xef\xbb\xbf"):
            raise UnicodeError   # a BOM: JSON (RFC 8259 8.1) must not start with one
        text = data.decode("utf-8").strip()
        if text.startswith("{") and b"\0" not in data:
            # Only the top level is read: nothing the core reads is nested.
            # A nested value (a discovery document's long lists) is blanked
            # out to a 0 in a copy before json sees it, so it costs no heap
            # beyond that copy. Nesting deeper than _MAX_DEPTH fails here on
            # both runtimes alike. (No NUL byte: JSON text has none, and
            # without one CPython's json cannot take the bytes for UTF-16.)
            depth = i = start = 0
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
                        raise ValueError
                    if depth == 2:
                        start = i
                elif b == 0x7D or b == 0x5D:
                    depth -= 1
                    if depth == 1:
                        if type(text) is str:
                            text = bytearray(data)
                        text[start] = 0x30
                        while start < i:
                            start += 1
                            text[start] = 32
                i += 1
            value = json.loads(text)
            if isinstance(value, dict):
                return value
        else:
            # Form-encoded: name=value first, no markup, no JSON, one line.
            eq = text.find("=")
            amp = text.find("&")
            if (eq > 0 and (amp < 0 or eq < amp) and text.find(" ", 0, eq) < 0
                    and "<" not in text and "{" not in text and "\n" not in text):
                return form.decode(text)
    except Exception:  # UnicodeError, ValueError; MemoryError on a board
        pass
    raise ProtocolError("unreadable body")
