# Reading a response body as a flat object (its top level only), whatever
# the server chose.
#
# Servers differ (see shared/PROVIDERS.md): GitHub answers form-encoded
# unless asked for JSON and sends errors with 200; OpenAM sends pending with
# 403. So the body decides, not the status or the Content-Type: JSON when it
# looks like a JSON object, form-encoded when it looks like name=value pairs,
# anything else (HTML captive portal, truncated JSON) is unreadable.
#
# The body may be any bytes-like object: the http adapter hands a view of
# its receive buffer. A JSON body is parsed from it in place (MicroPython's
# json takes any buffer); only a form body is decoded to text first.

from micropython import const
import json

from devflow.core.errors import ProtocolError

# Deeper than this is hostile: CPython would raise RecursionError,
# MicroPython may run out of stack or heap.
_MAX_DEPTH = const(16)


def parse_object(data):
    # -> a dict, or ProtocolError: the callers only need to know that a body
    # is unreadable, so there is one short message for every reason.
    try:
        n = len(data)
        i = 0
        while i < n and data[i] in b" \t\r\n":
            i += 1
        if i < n and data[i] == 0x7B:  # {
            # Only the top level is read: nothing the core reads is nested.
            # A nested value (a discovery document's long lists) is blanked
            # out to a 0 before json sees it, so it costs no heap: in place
            # in a writable body (the adapter's buffer, scratch space once
            # read), else in a copy. Nesting deeper than _MAX_DEPTH fails
            # here on both runtimes alike, and so does a NUL byte (JSON text
            # has none, and without one CPython's json cannot take the
            # bytes for UTF-16). Invalid UTF-8 fails (FAULTS 20): at the top
            # level in json on both runtimes; in a nested value, which json
            # never sees, by a decode of the whole body, done only if one
            # holds a non-ASCII byte (before it is blanked).
            text = data
            depth = start = i = 0
            in_string = escaped = wide = False
            for b in data:
                if b > 127 and depth > 1 and not wide:
                    str(data, "utf-8")
                    wide = True
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
                        try:
                            text[start] = 0x30
                        except TypeError:  # bytes, or a view of them
                            text = bytearray(data)
                            text[start] = 0x30
                        while start < i:
                            start += 1
                            text[start] = 32
                elif not b:
                    raise ValueError
                i += 1
            try:
                value = json.loads(text)
            except TypeError:  # CPython's json takes no memoryview
                value = json.loads(bytes(text))
            if isinstance(value, dict):
                return value
        else:
            # Form-encoded: name=value first, no markup, no JSON, one line,
            # no BOM.
            text = str(data, "utf-8").strip()
            eq = text.find("=")
            amp = text.find("&")
            if (eq > 0 and (amp < 0 or eq < amp) and text.find(" ", 0, eq) < 0
                    and "<" not in text and "{" not in text and "\n" not in text
                    and text[0] != "\ufeff"):
                # Imported here: only a form answer needs it (see form.py).
                from devflow.core import form
                return form.decode(text)
    except Exception:  # UnicodeError, ValueError; MemoryError on a board
        pass
    raise ProtocolError("unreadable body")
