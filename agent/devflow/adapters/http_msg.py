# HTTP/1.1 responses for the http adapter (RFC 9112): their bounded
# reading from a socket. (The bytes of a request: http_req.py.)
#
# Every read is capped: a line at 1 KB, the head at 32 fields and 4 KB, the
# body at the request's max_body, the whole response at a deadline checked
# after every recv (a trickling server is cut off one socket timeout late
# at most). Reads use sock.recv(n), which returns what has arrived on
# CPython and on MicroPython plain and TLS sockets alike (MicroPython's
# readinto() waits for a full buffer). An OSError is left to the caller,
# which classifies it once.
#
# A response we cannot read is NetworkError("bad_response"). Texts name the
# part that is wrong, never a header value or a body.

from devflow.adapters.clock import ticks_ms  # noqa: F401 (http.py's too)
from devflow.core.errors import NetworkError
from devflow.core.ticks import ticks_diff
from devflow.core.wire import Response

from micropython import const


_MAX_LINE = const(1024)
_MAX_FIELDS = const(32)
_MAX_HEAD = const(4096)
_RECV = const(255)  # the most one recv asks for: 8 heap blocks with its NUL

# The response fields anyone reads: framing (Content-Length is read as a
# number, not kept), Retry-After for the core, Location to show where a
# redirect (never followed) pointed. Others, even Content-Type (the core
# goes by the body), are checked for syntax but never copied: a real
# server sends a dozen or more, and each kept one would cost heap on every
# poll. One bytes string, each name followed by a colon: a tuple of names
# would be an object per name, made when the module loads and kept for
# good, even when its code runs in place from flash. Their lengths differ,
# so a field's name is compared with one of them at most.
_KEPT = const(b"content-length:transfer-encoding:connection:retry-after:location:")


def _bad(what):
    return NetworkError("bad_response", "bad " + what)


def _too_large(max_body):
    return NetworkError("too_large", "body over %d bytes" % max_body)


def _number(data, i, end):
    # The decimal digits data[i:end] (bytes) as an int, read in place: no
    # slice. -1 for none, or for anything but digits. It stops growing at
    # 10**9, over any max_body: no bigint on a board.
    n = 0 if i < end else -1
    while i < end and n >= 0:
        o = data[i] - 48
        n = min(n * 10 + o, 1000000000) if 0 <= o <= 9 else -1
        i += 1
    return n


# Reading a response from one connection. `conn` is the HttpClient
# (http.py): it holds the connection's socket and reading state, set by its
# _connect(): sock, room (where bodies go: see _read), buf and pos (bytes
# received and not yet read), `received`, the bytes of the current
# response (0 means the server never answered, which decides whether a
# retry is safe), and, after a response, `keep`: may the connection carry
# another request? Plain functions on the client, not a reader object per
# connection: no class kept in the heap, no instance per connection.


def _recv(conn, n, eof_ok):
    # Up to n bytes; EOF is an error unless eof_ok (a body read to EOF).
    data = conn.sock.recv(n)
    conn.received += len(data)
    if ticks_diff(ticks_ms(), conn.start) > conn.deadline:
        raise NetworkError("timeout", "response took too long")
    if not (data or eof_ok):
        raise NetworkError("reset", "connection closed mid-response")
    return data


def _line(conn):
    # The next line without its CR LF, as conn.buf[conn.lo:conn.hi]; a
    # bare LF is accepted (RFC 9112 2.2). -> its length. Nothing is
    # copied: a field nobody reads costs no heap.
    while True:
        buf, pos = conn.buf, conn.pos
        i = buf.find(b"\n", pos)
        if (i if i >= 0 else len(buf)) - pos > _MAX_LINE:
            raise _bad("head")
        if i >= 0:
            conn.lo, conn.pos = pos, i + 1
            if i > pos and buf[i - 1] == 13:
                i -= 1
            conn.hi = i
            return i - pos
        data = _recv(conn, _RECV, False)
        conn.buf = buf[pos:] + data if pos < len(buf) else data
        conn.pos = 0


def _head(conn, headers):
    # One response head. -> 1000 * minor version + status, from
    # "HTTP/1.1 200 OK" (the reason is ignored); the _KEPT fields go
    # into headers, repeats joined by ", " (RFC 9110 5.3). Every line's
    # syntax is checked: no folding, no blank before the colon (RFC
    # 9112 5.1, 5.2). Bytes index to ints: nothing is copied but the
    # values kept.
    n = _line(conn)
    buf, lo = conn.buf, conn.lo
    if n < 12 or not buf.startswith(b"HTTP/1.", lo) or buf[lo + 8] != 32 or n > 12 and buf[lo + 12] != 32:
        raise _bad("head")
    minor, code = _number(buf, lo + 7, lo + 8), _number(buf, lo + 9, lo + 12)
    if minor < 0 or code < 0:
        raise _bad("head")
    conn.length = None
    count = size = 0
    while True:
        n = _line(conn)
        if not n:
            return 1000 * minor + code
        count += 1
        size += n + 2
        if count > _MAX_FIELDS or size > _MAX_HEAD:
            raise _bad("head")
        buf, lo, hi = conn.buf, conn.lo, conn.hi
        i = buf.find(b":", lo, hi)
        if i <= lo or buf[lo] in b" \t" or buf[i - 1] in b" \t":
            raise _bad("head")
        k = i - lo  # the name's length
        at = 0
        while at < len(_KEPT):
            end = _KEPT.find(b":", at)
            if end - at == k:
                # Compared from the end, case-blind (| 32), in place.
                while k and buf[lo + k - 1] | 32 == _KEPT[at + k - 1]:
                    k -= 1
                break
            at = end + 1
        if k:
            continue  # not a kept field
        # Blanks around the value are skipped, not stripped off a copy:
        # one slice is all a kept field costs.
        i += 1
        while i < hi and buf[i] in b" \t":
            i += 1
        while hi > i and buf[hi - 1] in b" \t":
            hi -= 1
        if at == 0:
            # Content-Length (the first name) is read in place, never
            # kept as text; repeats must agree (RFC 9110 8.6). Digits
            # only: a list or a sign is refused.
            n = _number(buf, i, hi)
            if n < 0 or conn.length is not None and conn.length != n:
                raise _bad("body")
            conn.length = n
            continue
        try:
            value = str(buf[i:hi], "utf-8")
        except UnicodeError:
            raise _bad("head")
        name = _KEPT[at:end].decode()
        old = headers.get(name)
        headers[name] = value if old is None else old + ", " + value


def _read(conn, k, max_body):
    # k more body bytes (k < 0: until EOF), never past max_body:
    # buffered bytes first, then recv in pieces of _RECV at most. They
    # are copied into the room, the client's receive buffer, while they
    # fit: a body then needs no fresh contiguous block, which a
    # fragmented heap may not have however much it has free. A body
    # too big for the room spills into a bytearray of its own.
    if conn.n + k > max_body:
        raise _too_large(max_body)
    room = conn.room
    while k:
        pos = conn.pos
        if pos < len(conn.buf):
            data = memoryview(conn.buf)[pos : pos + k if k > 0 else len(conn.buf)]
            conn.pos = pos + len(data)
        else:
            data = _recv(conn, k if 0 < k < _RECV else _RECV, k < 0)
            if not data:
                return  # the EOF that ends a body without a length
        n = conn.n
        conn.n = end = n + len(data)
        if end > max_body:
            raise _too_large(max_body)
        if k > 0:
            k -= len(data)
        spill = conn.body
        if spill is None:
            if end <= len(room):
                room[n:end] = data
                continue
            # Sized for the whole body when its length is known (the
            # rest of a Content-Length, or of a chunk): one block, not
            # regrown with every piece, where each regrowth needs a new
            # block while the old one is still held. A real provider's
            # discovery document (2-6 KB) or token answer with an ID
            # token (1.5-3 KB) comes here.
            conn.body = spill = bytearray(end + k if k > 0 else end)
            spill[:n] = memoryview(room)[:n]
        spill[n:end] = data  # grows it for a later chunk, or up to EOF


def _chunked(conn, max_body):
    # RFC 9112 7.1: size line (extensions ignored), data, CRLF ... 0,
    # trailers (read and dropped), empty line.
    while True:
        _line(conn)
        end = conn.buf.find(b";", conn.lo, conn.hi)
        digits = conn.buf[conn.lo : conn.hi if end < 0 else end].strip()
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
        _read(conn, size, max_body)
        if _line(conn):
            raise _bad("body")
    for _ in range(_MAX_FIELDS + 1):
        if not _line(conn):
            return
    raise _bad("head")


def response(conn, method, max_body, start):
    # -> the Response; conn.keep: may the connection be reused? Reads
    # until conn.deadline ms after `start` (clock.ticks_ms) at most.
    conn.start = start
    for interim in range(5):  # 1xx responses are skipped
        headers = {}
        code = _head(conn, headers)
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
    cl = conn.length
    conn.n = 0
    conn.body = None
    if method == "HEAD" or status == 204 or status == 304:
        pass
    elif 300 <= status < 400:
        keep = False  # a redirect is not followed, its body not read
    elif te is not None:
        if te.lower() != "chunked":
            # We send no TE or Accept-Encoding: gzip is a server bug.
            raise _bad("body")
        _chunked(conn, max_body)
    elif cl is None:
        _read(conn, -1, max_body)
        keep = False  # EOF ended the body and the connection
    else:
        _read(conn, cl, max_body)
    # Bytes after the response (we never pipeline): the server is
    # confused, so no reuse either.
    conn.keep = keep and len(conn.buf) == conn.pos
    body = conn.body
    if body is None:
        body = memoryview(conn.room)[: conn.n]  # valid until the next request
    conn.buf = b""
    conn.pos = 0
    conn.body = None
    return Response(status, headers, body)
