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

import gc

from devflow.adapters.clock import ticks_ms  # noqa: F401 (http.py's too)
from devflow.core.errors import ConfigError, NetworkError
from devflow.core.ticks import ticks_diff
from devflow.core.wire import Response

from micropython import const


_MAX_LINE = const(1024)
_MAX_FIELDS = const(32)
_MAX_HEAD = const(4096)
_RECV = const(1024)  # small enough for a 56 KB heap, about one TLS record
_GUESS = const(512)  # first body buffer when the length is unknown
_BIG = const(4096)  # buffers this big are worth a gc.collect() first

# The response fields anyone reads: framing, Retry-After for the core,
# Content-Type and Location for callers. Others are checked for syntax but
# never copied: a real server sends a dozen or more, and each kept one
# would cost heap on every poll.
_KEPT = const((b"content-length", b"transfer-encoding", b"connection", b"retry-after",
               b"content-type", b"location", b"www-authenticate"))


def _bad(what):
    return NetworkError(NetworkError.BAD_RESPONSE, "bad " + what)


def _too_large(cap):
    return NetworkError(NetworkError.TOO_LARGE, "body over %d bytes" % cap)


def _check(text, token, what, name=""):
    # A method or header name must be a token (RFC 9110 5.6.2); a header
    # value may hold no control character: a CR or LF would start a new
    # header, smuggled past us. The message is built only on failure. The
    # text is read as bytes: iterating a str interns every character it
    # holds as a name, for good, on MicroPython.
    ok = isinstance(text, str) and (text or not token)
    for o in text.encode() if ok else ():
        if o < 32 and o != 9 or o == 127 or token and (o <= 32 or o > 127 or o in b'()<>@,;:\\"/[]?={}'):
            ok = False
            break
    if not ok:
        raise ConfigError("request: bad " + what + name)


def _bad_url(part):
    return ConfigError("url: bad " + part)


def is_loopback(host):
    # Decided on the name, before any DNS lookup: 127.0.0.0/8, ::1 and
    # localhost only.
    if host in ("localhost", "localhost.", "::1", "0:0:0:0:0:0:0:1"):
        return True
    parts = host.split(".")
    if len(parts) != 4 or parts[0] != "127":
        return False
    for p in parts:
        if not p.isdigit() or len(p) > 3 or int(p) > 255:
            return False
    return True


def parse_url(url):
    # "scheme://host[:port][/path][?query]" -> ((scheme, host, port), path).
    # The first part is the key of a kept-alive connection. A #fragment is
    # never sent. Plain http is refused here unless the host is loopback.
    # Parts are found by offsets into url: only what is returned is copied.
    if not isinstance(url, str):
        raise _bad_url("type")
    for o in url.encode():   # bytes: see _check
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
        raise _bad_url("user info")
    j = url.rfind(":", i, cut)
    if j < url.rfind("]", i, cut):
        j = -1  # that colon is inside an [IPv6] literal
    if j < 0:
        j = cut
    host, port = url[i:j].lower(), url[j + 1 : cut]
    v6 = host[:1] == "["
    if v6:
        host = host[1:-1] if host[-1] == "]" else ""
    if not host or (":" in host) != v6:
        raise _bad_url("host")
    if not port:
        port = 443 if scheme == "https" else 80
    elif port.isdigit() and len(port) < 6 and 0 < int(port) < 65536:
        port = int(port)
    else:
        raise _bad_url("port")
    if scheme == "http" and not is_loopback(host):
        raise ConfigError("plain http is only allowed to loopback, not " + host)
    return (scheme, host, port), path


def encode(request):
    # A core Request -> (origin, the bytes to send). Head and body go out in
    # one buffer, one send: a separate small body write can sit out a
    # delayed-ACK round trip (Nagle) on some stacks. The head is gathered
    # as a list of the parts and joined once: adding str to str would copy
    # the growing head once per part.
    origin, path = parse_url(request.url)
    scheme, host, port = origin
    method = request.method
    body = request.body or b""
    _check(method, True, "method")
    if not isinstance(body, (bytes, bytearray)):
        raise ConfigError("request: bad body")
    if ":" in host:
        host = "[" + host + "]"
    if port != (443 if scheme == "https" else 80):
        host += ":" + str(port)
    head = [method, " ", path, " HTTP/1.1\r\nHost: ", host, "\r\n"]
    agent = True
    for name, value in request.headers:
        _check(name, True, "header name")
        lname = name.lower()
        if lname in ("host", "content-length", "connection", "transfer-encoding"):
            # Framing is ours to write: a caller's could smuggle a second
            # request or desynchronise the connection. Refused below.
            value = None
        agent = agent and lname != "user-agent"
        _check(value, False, "header ", name)
        head += (name, ": ", value, "\r\n")
    if agent:
        head.append("User-Agent: devflow/0.1\r\n")
    if body or method in ("POST", "PUT", "PATCH"):
        head += ("Content-Length: ", str(len(body)), "\r\n")
    head.append("Connection: keep-alive\r\n\r\n")
    return origin, "".join(head).encode() + body


class Reader:
    # Bounded reads of responses from one connection's socket. `received`
    # counts the bytes of the current response: 0 means the server never
    # answered, which decides whether a retry is safe. `keep` says, after
    # a response, whether the connection may carry another request.
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.pos = self.received = 0

    def _recv(self, n, eof_ok):
        # Up to n bytes; EOF is an error unless eof_ok (a body read to EOF).
        data = self.sock.recv(n)
        self.received += len(data)
        if ticks_diff(ticks_ms(), self.start) > self.budget:
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
                raise _bad("line: too long")
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
            raise _bad("status line")
        code = 0
        for k in (7, 9, 10, 11):  # the digits of "1.1 200", read in place
            d = buf[lo + k] - 48
            if not 0 <= d <= 9:
                raise _bad("status line")
            code = code * 10 + d
        count = size = 0
        while True:
            n = self._line()
            if not n:
                return code
            count += 1
            size += n + 2
            if count > _MAX_FIELDS or size > _MAX_HEAD:
                raise _bad("head: too large")
            buf, lo, hi = self.buf, self.lo, self.hi
            i = buf.find(b":", lo, hi)
            if i <= lo or buf[lo] in b" \t" or buf[i - 1] in b" \t":
                raise _bad("header line")
            for name in _KEPT:
                k = i - lo  # compared from the end, case-blind (| 32)
                if len(name) == k:
                    while k and buf[lo + k - 1] | 32 == name[k - 1]:
                        k -= 1
                if not k:
                    if buf[i + 1] == 32:
                        i += 1  # the usual space: skipped, not stripped off a copy
                    try:
                        value = str(buf[i + 1 : hi], "utf-8").strip()
                    except UnicodeError:
                        raise _bad("header line")
                    name = name.decode()
                    old = headers.get(name)
                    headers[name] = value if old is None else old + ", " + value
                    break

    def _read(self, k, cap):
        # k more body bytes (k < 0: until EOF) into self.body, never past
        # cap: buffered bytes first, then recv. A body that arrives in one
        # piece (the usual small JSON answer) is kept as that piece, not
        # copied. Otherwise the buffer is sized exactly for a known length,
        # else it doubles, so a server sending 1-byte chunks costs a few
        # reallocations, not one object per byte.
        if self.n + k > cap:
            raise _too_large(cap)
        while k:
            pos = self.pos
            if pos < len(self.buf):
                data = self.buf[pos : pos + k] if k > 0 else self.buf[pos:]
                self.pos = pos + len(data)
            else:
                data = self._recv(_RECV if k < 0 else min(k, _RECV), k < 0)
                if not data:
                    return  # the EOF that ends a body without a length
            n, body = self.n, self.body
            end = n + len(data)
            if end > cap:
                raise _too_large(cap)
            if not n and end == k:
                body = data
            elif end > len(body):
                size = min(cap, max(end, 2 * len(body), n + k if k > 0 else _GUESS))
                if size >= _BIG:
                    # A MicroPython heap is small and fragments: free what
                    # we can before asking for a big contiguous block.
                    gc.collect()
                body = bytearray(size)
                body[:n] = memoryview(self.body)[:n]
            if body is not data:
                body[n:end] = data
            self.body, self.n = body, end
            if k > 0:
                k -= len(data)

    def _chunked(self, cap):
        # RFC 9112 7.1: size line (extensions ignored), data, CRLF ... 0,
        # trailers (read and dropped), empty line.
        while True:
            self._line()
            end = self.buf.find(b";", self.lo, self.hi)
            digits = self.buf[self.lo : self.hi if end < 0 else end].strip()
            if len(digits.lstrip(b"0")) > 7:
                # Over 256 MB: over any cap, and no bigints on a board.
                raise _too_large(cap)
            try:
                size = int(digits, 16)
            except ValueError:
                size = -1
            if size < 0:
                raise _bad("chunk")
            if not size:
                break
            self._read(size, cap)
            if self._line():
                raise _bad("chunk")
        for _ in range(_MAX_FIELDS + 1):
            if not self._line():
                return
        raise _bad("head: too large")

    def response(self, method, cap, start, budget):
        # -> the Response; self.keep: may the connection be reused? Reads
        # until `budget` ms after `start` (clock.ticks_ms) at most.
        self.start, self.budget = start, budget
        for interim in range(5):  # 1xx responses are skipped
            headers = {}
            code = self._head(headers)
            status = code % 1000
            if status >= 200:
                break
            if status == 101 or interim == 4:
                raise _bad("1xx response")
        # HTTP/1.1 persists unless "close"; 1.0 only with "keep-alive"
        # (RFC 9112 9.3).
        keep = code >= 1000
        for token in headers["connection"].split(",") if "connection" in headers else ():
            token = token.strip().lower()
            if token == "close":
                keep = False
                break
            if token == "keep-alive":
                keep = True
        # How the body is delimited (RFC 9112 6.3), in precedence order.
        te = headers.get("transfer-encoding")
        cl = headers.get("content-length")
        self.body, self.n = b"", 0
        if method == "HEAD" or status in (204, 304):
            pass
        elif 300 <= status < 400:
            keep = False  # a redirect is not followed, its body not read
        elif te is not None:
            if te.lower() != "chunked":
                # We send no TE or Accept-Encoding: gzip is a server bug.
                raise _bad("transfer-encoding")
            self._chunked(cap)
        elif cl is None:
            self._read(-1, cap)
            keep = False  # EOF ended the body and the connection
        else:
            # A list of equal values is allowed (RFC 9110 8.6).
            values = cl.split(",")
            cl = values[0].strip()
            for v in values:
                if v.strip() != cl or not cl.isdigit():
                    raise _bad("content-length")
            if len(cl.lstrip("0")) > 9:
                raise _too_large(cap)
            self._read(int(cl), cap)
        # Bytes after the response (we never pipeline): the server is
        # confused, so no reuse either.
        self.keep = keep and len(self.buf) == self.pos
        body = self.body
        if type(body) is not bytes:
            body = bytes(memoryview(body)[: self.n])
        self.buf, self.pos, self.body = b"", 0, None
        return Response(status, headers, body)
