# HTTP/1.1 requests for the http adapter (RFC 9112), made ready to send: a
# core Request's URL checked and its bytes built, and the TLS context
# that https goes under. Needed only when the request changes (every poll
# of a device code sends the same bytes), so http.py imports this module
# for that moment and drops it again: its code does not sit in the heap
# meanwhile.
#
# Our caller's mistake (URL, method, header, CA certificates) is a
# ConfigError. Texts name the part that is wrong, never a header value.
#
# MicroPython's `tls` is not CPython's `ssl`. What we found on the
# MicroPython unix port (1.28, Mbed TLS 3.6):
# - load_verify_locations(data) takes one DER certificate, positionally.
#   PEM is refused (this build has no PEM parser) and bytes after the first
#   DER certificate are ignored; each call ADDS to the trusted set. So we
#   turn a PEM bundle into DER ourselves and load the certificates one by
#   one, which works on every port whatever its Mbed TLS configuration.
# - wrap_socket does the handshake at once. An unknown CA or a name that
#   does not match raises ValueError; other handshake failures raise
#   OSError with a negative Mbed TLS code. CPython raises
#   ssl.SSLCertVerificationError, which is a ValueError too.
# There is deliberately no switch to turn verification off.

from micropython import const
from binascii import a2b_base64

from devflow.core.errors import ConfigError

try:
    import tls as _tls
except ImportError:  # CPython, and MicroPython before 1.23, call it ssl
    import ssl as _tls

_BAD_REQUEST = const("request: bad method, header or body")
_BEGIN = const(b"-----BEGIN CERTIFICATE-----")
_NO_CA = const("config key 'ca_certs' has no valid certificate")  # https needs one
# Name lists are strings, looked up as " name ": a tuple of names would be
# an object per name, made each time this module is imported.
_LOOPBACK = const(" localhost localhost. ::1 0:0:0:0:0:0:0:1 ")
_FRAMING = const(" host content-length connection transfer-encoding ")


def _check(text, token):
    # A method or header name must be a token (RFC 9110 5.6.2); a header
    # value may hold no control character: a CR or LF would start a new
    # header, smuggled past us. The text is read as bytes: iterating a str
    # interns every character it holds as a name, for good, on MicroPython.
    ok = isinstance(text, str) and (text or not token)
    for o in text.encode() if ok else ():
        if o < 32 and o != 9 or o == 127 or token and (o <= 32 or o > 127 or o in b'()<>@,;:\\"/[]?={}'):
            ok = False
            break
    if not ok:
        raise ConfigError(_BAD_REQUEST)


def _bad_url(what):
    return ConfigError("url: bad " + what)


def parse_url(url):
    # "scheme://host[:port][/path][?query]" -> ((scheme, host, port), path).
    # The first part is the key of a kept-alive connection. A #fragment is
    # never sent. Plain http is refused here unless the host is loopback.
    # Parts are found by offsets into url: only what is returned is copied.
    if not isinstance(url, str):
        raise _bad_url("type")
    for o in url.encode():  # read as bytes: see _check
        if not 32 < o < 127:
            raise _bad_url("character")
    i = url.find("://")
    scheme = url[:i].lower()
    if i <= 0 or scheme != "http" and scheme != "https":
        raise _bad_url("scheme")
    i += 3
    end = url.find("#", i)
    if end < 0:
        end = len(url)
    cut = end  # the authority ends at the first / or ?
    for sep in "/?":
        j = url.find(sep, i, end)
        if 0 <= j < cut:
            cut = j
    path = url[cut:end]
    if path[:1] != "/":
        path = "/" + path
    if url.find("@", i, cut) >= 0:
        # Credentials in a URL end up in logs; the design forbids them.
        raise _bad_url("host")
    j = url.rfind(":", i, cut)
    if j < url.rfind("]", i, cut):
        j = -1  # that colon is inside an [IPv6] literal
    if j < 0:
        j = cut
    host = url[i:j].lower()
    v6 = host[:1] == "["
    if v6:
        host = host[1:-1] if host[-1] == "]" else ""
    if not host or (":" in host) != v6:
        raise _bad_url("host")
    port = url[j + 1 : cut] if j < cut - 1 else "443" if scheme == "https" else "80"
    # Five digits at most: no bigint on a board, and none is a port.
    port = int(port) if port.isdigit() and len(port) < 6 else 0
    if not 0 < port < 65536:
        raise _bad_url("port")
    if scheme == "http" and " " + host + " " not in _LOOPBACK:
        # Plain http to loopback only, decided on the name before any DNS
        # lookup: 127.0.0.0/8 besides the names above.
        parts = host.split(".")
        ok = len(parts) == 4 and parts[0] == "127"
        for p in parts:
            if not p.isdigit() or len(p) > 3 or int(p) > 255:
                ok = False
        if not ok:
            raise ConfigError("plain http is only allowed to loopback, not " + host)
    return (scheme, host, port), path


def encode(request):
    # A core Request -> (origin, the bytes to send). Head and body go out in
    # one buffer, one send: a separate small body write can sit out a
    # delayed-ACK round trip (Nagle) on some stacks. The parts are gathered
    # in one list and joined once; the body joins them as text, since on
    # MicroPython a str made from bytes, and bytes from a str, share the
    # data: the join is the only copy.
    origin, path = parse_url(request.url)
    scheme, host, port = origin
    method = request.method
    _check(method, True)
    data = request.body or b""
    try:
        body = str(data, "utf-8")
    except (TypeError, UnicodeError):
        raise ConfigError(_BAD_REQUEST)
    if ":" in host:
        host = "[" + host + "]"
    head = [method, " ", path, " HTTP/1.1\r\nHost: ", host]
    if port != (443 if scheme == "https" else 80):
        head.append(":%d" % port)
    agent = "\r\nUser-Agent: devflow/0.1"
    for name, value in request.headers:
        _check(name, True)
        name_l = " " + name.lower() + " "  # a token: no blank in it
        if name_l in _FRAMING:
            # Framing is ours to write: a caller's could smuggle a second
            # request or desynchronise the connection.
            raise ConfigError(_BAD_REQUEST)
        if name_l == " user-agent ":
            agent = ""
        _check(value, False)
        head += ("\r\n", name, ": ", value)
    head.append(agent)
    if data or " " + method + " " in " POST PUT PATCH ":  # a token: no blank
        head.append("\r\nContent-Length: %d" % len(data))
    # No Connection field: an HTTP/1.1 connection persists unless either
    # side says close (RFC 9112 9.3).
    head.append("\r\n\r\n")
    head.append(body)
    return origin, "".join(head).encode()


def tls_context(ca_data, ctx=None):
    # A client context that trusts exactly the certificates in ca_data (PEM
    # text, several allowed, or one DER certificate) and checks the
    # server's chain and name. There is no default store: boards have none,
    # and the emulator must behave like a board. Each certificate is decoded
    # from a view of the PEM text, so only its DER bytes are ever copied.
    # ctx: a fresh SSLContext to set up (the client makes it first, where
    # it wants its 3 KB to go), else one is made here.
    if not ca_data:
        raise ConfigError(_NO_CA)
    if isinstance(ca_data, str):
        ca_data = ca_data.encode()
    if ctx is None:
        ctx = _tls.SSLContext(_tls.PROTOCOL_TLS_CLIENT)
    # Set, not assumed: MicroPython 1.22 did not verify by default. (CPython
    # 3.11, the oldest we run on, also refuses anything before TLS 1.2.)
    ctx.verify_mode = _tls.CERT_REQUIRED
    pem = ca_data[0] != 0x30  # DER starts with a SEQUENCE
    start = ca_data.find(_BEGIN) if pem else 0
    ok = start >= 0
    while ok and start >= 0:
        der = ca_data
        try:
            if pem:
                end = ca_data.index(b"-----END CERTIFICATE-----", start)
                der = a2b_base64(memoryview(ca_data)[start + len(_BEGIN) : end])
                start = ca_data.find(_BEGIN, end)
            else:
                start = -1
            if hasattr(_tls, "SSLError"):  # CPython's ssl wants a keyword
                ctx.load_verify_locations(cadata=der)
            else:
                ctx.load_verify_locations(der)
        except (ValueError, OSError):
            ok = False
    if not ok:
        raise ConfigError(_NO_CA)
    return ctx
