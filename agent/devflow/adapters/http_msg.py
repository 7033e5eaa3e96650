# HTTP/1.1 messages for the http adapter (RFC 9112): the bytes of a
# request, and the bounded reading of its response from a socket.
#
# Every read is capped: a line at 1 KB, the head at 32 fields and 4 KB, the
# body at the request's max_body, the whole response at a deadline checked
# after every recv (a trickling server is cut off one socket timeout late
# at most). Reads use sock.recv(n), which returns what has arrived on
# CPython and on MicroPython plain and TLS sockets alike (MicroPython's
# readinto() waits for a full buffer). An OSError is left to the caller,
# which classifies it once.
#
# Our caller's mistake (URL, method, header) is a ConfigError; a response
# we cannot read is NetworkError(BAD_RESPONSE). Texts name the part that is
# wrong, never a header value or a body.

from devflow.adapters.clock import ticks_ms  # noqa: F401 (http.py's too)
from devflow.core.errors import ConfigError, NetworkError
from devflow.core.ticks import ticks_diff
from devflow.core.wire import Response

from micropython import const


_MAX_LINE = const(1024)
_MAX_FIELDS = const(32)
_MAX_HEAD = const(4096)
_BAD_REQUEST = const("request: bad method, header or body")
_RECV = const(512)  # a head's worth; a body of known length is asked for whole

# The response fields anyone reads: framing (Content-Length is read as a
# number, not kept), Retry-After for the core, Location to show where a
# redirect (never followed) pointed. Others, even Content-Type (the core
# goes by the body), are checked for syntax but never copied: a real
# server sends a dozen or more, and each kept one would cost heap on every
# poll.
_KEPT = const((b"content-length", b"transfer-encoding", b"connection", b"retry-after", b"location"))


def _bad(what):
    return NetworkError(NetworkError.BAD_RESPONSE, "bad " + what)


def _too_large(max_body):
    return NetworkError(NetworkError.TOO_LARGE, "body over %d bytes" % max_body)


def _number(data, i, end):
    # The decimal digits data[i:end] (bytes) as an int, read in place: no
    # slice. -1 for none, or for anything but digits. It stops growing at
    # 10**9, over any max_body or port: no bigint on a board.
    n = 0 if i < end else -1
    while i < end and n >= 0:
        o = data[i] - 48
        n = min(n * 10 + o, 1000000000) if 0 <= o <= 9 else -1
        i += 1
    return n


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
    data = url.encode()  # read as bytes: see _check
    for o in data:
        if not 32 < o < 127:
            raise _bad_url("character")
    i = url.find("://")
    scheme = url[:i].lower()
    if i <= 0 or scheme not in ("http", "https"):
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
    port = _number(data, j + 1, cut) if j < cut - 1 else 443 if scheme == "https" else 80
    if not 0 < port < 65536:
        raise _bad_url("port")
    if scheme == "http" and host not in ("localhost", "localhost.", "::1", "0:0:0:0:0:0:0:1"):
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
        if len(name) in (4, 10, 14, 17):  # the lengths of the names below
            name_l = name.lower()
            if name_l in ("host", "content-length", "connection", "transfer-encoding"):
                # Framing is ours to write: a caller's could smuggle a
                # second request or desynchronise the connection.
                raise ConfigError(_BAD_REQUEST)
            if name_l == "user-agent":
                agent = ""
        _check(value, False)
        head += ("\r\n", name, ": ", value)
    head.append(agent)
    if data or method in ("POST", "PUT", "PATCH"):
        head.append("\r\nContent-Length: %d" % len(data))
    head.append("\r\nConnection: keep-alive\r\n\r\n")
    head.append(body)
    return origin, "".join(head).encode()


class Reader:
    # Bounded reads of responses from one connection's socket. `received`
    # counts the bytes of the current response: 0 means the server never
    # answered, which decides whether a retry is safe. `keep` says, after
    # a response, whether the connection may carry another request.
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.pos = self.received = 0
        self.body = []  # the pieces of a body, one list for every response

    def _recv(self, n, eof_ok):
        # Up to n bytes; EOF is an error unless eof_ok (a body read to EOF).
        data = self.sock.recv(n)
        self.received += len(data)
        if ticks_diff(ticks_ms(), self.start) > self.deadline:
            raise NetworkError(NetworkError.TIMEOUT, "response took too long")
        if not (data or eof_ok):
            raise NetworkError(NetworkError.RESET, "connection closed mid-response")
        return data

    def _line(self):
        # The next line without its CR LF, as self.buf[self.lo:self.hi]; a
        # bare LF is accepted (RFC 9112 2.2). -> its length. Nothing is
        # copied: a field nobody reads costs no heap.
        while True:
            buf, pos = self.buf, self.pos
            i = buf.find(b"\n", pos)
            if (i if i >= 0 else len(buf)) - pos > _MAX_LINE:
                raise _bad("head")
            if i >= 0:
                self.lo, self.pos = pos, i + 1
                if i > pos and buf[i - 1] == 13:
                    i -= 1
                self.hi = i
                return i - pos
            data = self._recv(_RECV, False)
            self.buf = buf[pos:] + data if pos < len(buf) else data
            self.pos = 0

    def _head(self, headers):
        # One response head. -> 1000 * minor version + status, from
        # "HTTP/1.1 200 OK" (the reason is ignored); the _KEPT fields go
        # into headers, repeats joined by ", " (RFC 9110 5.3). Every line's
        # syntax is checked: no folding, no blank before the colon (RFC
        # 9112 5.1, 5.2). Bytes index to ints: nothing is copied but the
        # values kept.
        n = self._line()
        buf, lo = self.buf, self.lo
        if n < 12 or not buf.startswith(b"HTTP/1.", lo) or buf[lo + 8] != 32 or n > 12 and buf[lo + 12] != 32:
            raise _bad("head")
        minor, code = _number(buf, lo + 7, lo + 8), _number(buf, lo + 9, lo + 12)
        if minor < 0 or code < 0:
            raise _bad("head")
        self.length = None
        count = size = 0
        while True:
            n = self._line()
            if not n:
                return 1000 * minor + code
            count += 1
            size += n + 2
            if count > _MAX_FIELDS or size > _MAX_HEAD:
                raise _bad("head")
            buf, lo, hi = self.buf, self.lo, self.hi
            i = buf.find(b":", lo, hi)
            if i <= lo or buf[lo] in b" \t" or buf[i - 1] in b" \t":
                raise _bad("head")
            for name in _KEPT:
                k = i - lo  # compared from the end, case-blind (| 32)
                if len(name) == k:
                    while k and buf[lo + k - 1] | 32 == name[k - 1]:
                        k -= 1
                if not k:
                    # Blanks around the value are skipped, not stripped off
                    # a copy: one slice is all a kept field costs.
                    i += 1
                    while i < hi and buf[i] in b" \t":
                        i += 1
                    while hi > i and buf[hi - 1] in b" \t":
                        hi -= 1
                    if len(name) == 14:
                        # Content-Length (no other kept name is as long) is
                        # read in place, never kept as text; repeats must
                        # agree (RFC 9110 8.6). Digits only: a list or a
                        # sign is refused.
                        n = _number(buf, i, hi)
                        if n < 0 or self.length not in (None, n):
                            raise _bad("body")
                        self.length = n
                        break
                    try:
                        value = str(buf[i:hi], "utf-8")
                    except UnicodeError:
                        raise _bad("head")
                    name = name.decode()
                    old = headers.get(name)
                    headers[name] = value if old is None else old + ", " + value
                    break

    def _read(self, k, max_body):
        # k more body bytes (k < 0: until EOF) onto self.body, a list of
        # pieces, never past max_body: buffered bytes first, then recv. A
        # known length is asked for whole, so the usual answer is one piece,
        # kept as it is: the body needs one contiguous block of the heap,
        # not two (a buffer, then its copy). Pieces are joined when they
        # pile up: a server sending 1-byte chunks costs a join now and then,
        # not one object per byte.
        if self.n + k > max_body:
            raise _too_large(max_body)
        while k:
            pos = self.pos
            if pos < len(self.buf):
                data = self.buf[pos : pos + k] if k > 0 else self.buf[pos:]
                self.pos = pos + len(data)
            else:
                data = self._recv(k if k > 0 else _RECV, k < 0)
                if not data:
                    return  # the EOF that ends a body without a length
            self.n += len(data)
            if self.n > max_body:
                raise _too_large(max_body)
            if k > 0:
                k -= len(data)
            body = self.body
            body.append(data)
            if len(body) > 8:
                data = b"".join(body)
                body.clear()
                body.append(data)

    def _chunked(self, max_body):
        # RFC 9112 7.1: size line (extensions ignored), data, CRLF ... 0,
        # trailers (read and dropped), empty line.
        while True:
            self._line()
            end = self.buf.find(b";", self.lo, self.hi)
            digits = self.buf[self.lo : self.hi if end < 0 else end].strip()
            if len(digits.lstrip(b"0")) > 7:
                # Over 256 MB: over any max_body, and no bigints on a board.
                raise _too_large(max_body)
            try:
                size = int(digits, 16)
            except ValueError:
                size = -1
            if size < 0:
                raise _bad("body")
            if not size:
                break
            self._read(size, max_body)
            if self._line():
                raise _bad("body")
        for _ in range(_MAX_FIELDS + 1):
            if not self._line():
                return
        raise _bad("head")

    def response(self, method, max_body, start, deadline):
        # -> the Response; self.keep: may the connection be reused? Reads
        # until `deadline` ms after `start` (clock.ticks_ms) at most.
        self.start, self.deadline = start, deadline
        for interim in range(5):  # 1xx responses are skipped
            headers = {}
            code = self._head(headers)
            status = code % 1000
            if status >= 200:
                break
            if status == 101 or interim == 4:
                raise _bad("head")
        # HTTP/1.1 persists unless "close"; 1.0 only with "keep-alive"
        # (RFC 9112 9.3).
        options = headers.get("connection", "").lower()
        keep = "close" not in options and (code >= 1000 or "keep-alive" in options)
        # How the body is delimited (RFC 9112 6.3), in precedence order.
        te = headers.get("transfer-encoding")
        cl = self.length
        self.n = 0
        if method == "HEAD" or status in (204, 304):
            pass
        elif 300 <= status < 400:
            keep = False  # a redirect is not followed, its body not read
        elif te is not None:
            if te.lower() != "chunked":
                # We send no TE or Accept-Encoding: gzip is a server bug.
                raise _bad("body")
            self._chunked(max_body)
        elif cl is None:
            self._read(-1, max_body)
            keep = False  # EOF ended the body and the connection
        else:
            self._read(cl, max_body)
        # Bytes after the response (we never pipeline): the server is
        # confused, so no reuse either.
        self.keep = keep and len(self.buf) == self.pos
        pieces = self.body
        body = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        pieces.clear()
        self.buf, self.pos = b"", 0
        return Response(status, headers, body)
