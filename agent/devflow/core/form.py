# Percent-encoding both ways and application/x-www-form-urlencoded bodies,
# for both runtimes (MicroPython has no urllib). requests.py joins the
# pairs it sends; decode() reads a form answer (GitHub's).

from micropython import const

_UNRESERVED = const(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HEX = const(b"0123456789ABCDEF")


def quote(text):
    # Percent-encode everything but the RFC 3986 unreserved set; space as %20
    # is accepted everywhere (RFC 6749 appendix B allows "+" too). One
    # buffer, sized first: a per-character list cost kilobytes per request.
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    extra = 0
    for b in data:
        if b not in _UNRESERVED:
            extra += 2
    if not extra:
        return data.decode()
    out = bytearray(len(data) + extra)
    i = 0
    for b in data:
        if b in _UNRESERVED:
            out[i] = b
            i += 1
        else:
            out[i] = 0x25  # %
            out[i + 1] = _HEX[b >> 4]
            out[i + 2] = _HEX[b & 15]
            i += 3
    return out.decode()


def unquote(text):
    data = text.replace("+", " ").encode("utf-8")
    out = bytearray()
    i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b == 0x25 and i + 2 < n:
            try:
                out.append(int(data[i + 1:i + 3], 16))
                i += 3
                continue
            except ValueError:
                pass
        out.append(b)
        i += 1
    return out.decode("utf-8")


def decode(body):
    # Returns a dict; a repeated name keeps its last value (deterministic, as
    # the JSON parsers of both runtimes do with duplicate keys).
    text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
    result = {}
    for part in text.split("&"):
        if part:
            eq = part.find("=")
            if eq < 0:
                result[unquote(part)] = ""
            else:
                result[unquote(part[:eq])] = unquote(part[eq + 1:])
    return result
