# application/x-www-form-urlencoded and HTTP Basic credentials, for both
# runtimes (MicroPython has no urllib). Bytes in, bytes out where it matters.

from micropython import const
import binascii

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


def encode(pairs):
    # pairs: a list of (name, value); values None are left out.
    return "&".join(quote(k) + "=" + quote(v) for k, v in pairs if v is not None).encode()


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


def basic_credentials(client_id, client_secret):
    # RFC 6749 2.3.1: the id and secret are form-encoded before being joined.
    raw = (quote(client_id) + ":" + quote(client_secret)).encode()
    return "Basic " + binascii.b2a_base64(raw).decode().strip()
