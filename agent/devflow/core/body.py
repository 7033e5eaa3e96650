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


def parse_object(data, keep=None):
    # -> a dict, or ProtocolError: the callers only need to know that a body
    # is unreadable, so there is one short message for every reason.
    # keep: for a JSON document of which only a few top-level members are
    # read (discovery: 20-40 members, 5 read), their names as
    # b" name name ... ". Every other member is dropped before json sees
    # it: rewritten in place to `"":0` and blanks, which json reads as the
    # empty name (a name already, so no string is built) with a small int.
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
            if keep:
                try:
                    text[i] = 0x7B
                except TypeError:  # bytes, or a view of them
                    text = bytearray(data)
            depth = start = i = 0
            # opened: the last string's quote; drop: that of the name of a
            # member to drop, once its value comes.
            opened = drop = -1
            in_string = escaped = wide = False
            for b in data:
                if b > 127 and depth > 1 and not wide:
                    str(data, "utf-8")
                    wide = True
                end = 0             # > 0: text[start] becomes 0, then blanks up to end
                if in_string:
                    if escaped:
                        escaped = False
                    elif b == 0x5C:  # backslash
                        escaped = True
                    elif b == 0x22:
                        in_string = False
                        closed = i
                elif b == 0x22:
                    in_string = True
                    opened = i
                elif b == 0x7B or b == 0x5B:  # { [
                    depth += 1
                    if depth > _MAX_DEPTH:
                        raise ValueError
                    if depth == 2:
                        start = i
                elif b == 0x7D or b == 0x5D:
                    depth -= 1
                    if depth == 1:
                        end = i
                elif not b:
                    raise ValueError
                elif b == 0x3A and depth == 1 and keep and opened >= 0:
                    # A member's value comes. Its name, data[opened + 1:closed],
                    # is compared byte by byte with each name in keep (a slice
                    # would be an object).
                    drop = opened
                    length = closed - opened - 1
                    j = 1
                    while j < len(keep):
                        k = 0
                        while k < length and keep[j + k] == data[opened + 1 + k] != 32:
                            k += 1
                        if k == length and keep[j + k] == 32:
                            drop = -1
                            break
                        j += k      # on to the next name
                        while keep[j] != 32:
                            j += 1
                        j += 1
                if drop >= 0 and (depth == 0 or b == 0x2C and depth == 1 and not in_string):
                    # The member to drop ends (a comma, or the object's end).
                    text[drop + 1] = 0x22
                    text[drop + 2] = 0x3A
                    start = drop + 3
                    end = i - 1
                    opened = drop = -1
                if end:
                    try:
                        text[start] = 0x30
                    except TypeError:  # bytes, or a view of them
                        text = bytearray(data)
                        text[start] = 0x30
                    while start < end:
                        start += 1
                        text[start] = 32
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
    except MemoryError:
        # Not the body's fault: the caller collects and reads it again
        # (FAULTS 63), rather than take an answer the server meant for
        # unreadable.
        raise
    except Exception:  # UnicodeError, ValueError
        pass
    raise ProtocolError("unreadable body")


def trim_id_token(data, keep_claims):
    # Shortens the string value of an answer's "id_token" member in place
    # (a writable body: the adapter's buffer, scratch space once read),
    # before the answer is parsed, so that the longest string of the turn
    # is never built: to "header.payload." (keep_claims: at pairing; the
    # signature, the longest part, is never read, there being no signature
    # check: idtoken.py), or to null (a refreshed ID token, never read).
    # In JSON text '"id_token"' and a ':' after it can only be a key (a
    # quote inside a string is escaped), and a JWT holds no backslash:
    # anything else, a value of other than three dot-separated parts
    # included, is left as it is (and refused where it is read), and so is
    # a body that is not writable.
    n = len(data)
    i = 0
    while i < n - 12:
        if data[i] == 0x22 and data[i + 1] == 0x69 and bytes(data[i:i + 10]) == b'"id_token"':
            i += 10
            while i < n and data[i] in b" \t\r\n":
                i += 1
            if i < n and data[i] == 0x3A:   # :
                i += 1
                while i < n and data[i] in b" \t\r\n":
                    i += 1
                if i < n and data[i] == 0x22:   # a string value: to its end
                    end = i + 1
                    dots = 0
                    while end < n and data[end] not in b'"\\':
                        if data[end] == 0x2E:
                            dots += 1
                            cut = end + 1   # after the last dot
                        end += 1
                    if end < n and data[end] == 0x22 and end - i >= 3 and (dots == 2 or not keep_claims):
                        try:
                            if keep_claims:
                                data[cut] = 0x22
                            else:
                                cut = i + 3
                                data[i:cut + 1] = b"null"
                            while cut < end:
                                cut += 1
                                data[cut] = 32
                        except TypeError:   # not writable: bytes
                            pass
                return
        i += 1
