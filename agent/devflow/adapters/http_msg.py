# HTTP/1.1 responses for the http adapter (RFC 9112): their bounded
# reading from a socket. (The bytes of a request: http_req.py.)
#
# Every read is capped: the head at 32 fields and 16 KB, the body at the
# request's max_body, the whole response at a deadline checked after every
# read (a trickling server is cut off one socket timeout late at most). An
# OSError is left to the caller, which classifies it once.
#
# Nothing is allocated per read: every byte goes straight into the room,
# the client's receive buffer (http.py), head and body alike, and a body
# that fits there is handed out as a view of it. A larger body gets one
# bytearray of its own, sized up front and read into in place too. (A
# bytes object per read, 9 heap blocks each, was what a board's heap,
# fragmented by then, failed first in the turns after pairing.) CPython's
# recv_into returns what has arrived. MicroPython has no recv_into, and
# its readinto waits for the whole buffer however slowly it trickles in,
# past any deadline: so while a response is read, the raw socket
# (conn.raw) is non-blocking, readinto takes what has arrived (None:
# nothing yet), and each wait is a poll bounded by the socket timeout and
# the deadline alike.
#
# A response we cannot read is NetworkError("bad_response"). Texts name the
# part that is wrong, never a header value or a body.

from devflow.adapters.clock import ticks_ms  # noqa: F401 (http.py's too)
from devflow.core.errors import NetworkError
from devflow.core.ticks import ticks_diff
from devflow.core.wire import Response

from micropython import const


_MAX_FIELDS = const(32)
# Generous: a provider's Content-Security-Policy alone can be kilobytes.
_MAX_HEAD = const(16384)

# The response fields anyone reads: framing (Content-Length is read as a
# number, not kept) and Retry-After for the core. Others, even Content-Type
# (the core goes by the body) and a redirect's Location (never followed,
# never shown: it may carry anything), are checked for syntax but never
# copied: a real server sends a dozen or more, and each kept one would
# cost heap on every poll. One bytes string, each name followed by a
# colon: a tuple of names would be an object per name, made when the
# module loads and kept for good, even when its code runs in place from
# flash. Their lengths differ,
# so a field's name is compared with one of them at most.
_KEPT = const(b"content-length:transfer-encoding:connection:retry-after:")


def _bad(what):
    return NetworkError("bad_response", "bad " + what)


def _late():
    return NetworkError("timeout", "response took too long")


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
# _connect(): sock, raw (MicroPython: the socket under TLS, else None),
# room (see the top) with got, the bytes in it, and pos, where reading is
# at; `received`, the bytes of the current response (0 means the server
# never answered, which decides whether a retry is safe), and, after a
# response, `keep`: may the connection carry another request? Plain
# functions on the client, not a reader object per connection: no class
# kept in the heap, no instance per connection.


def _into(conn, view, eof_ok):
    # What has arrived, a byte at least, into view (a memoryview) -> how
    # many. 0 is EOF, an error unless eof_ok (a body read to EOF).
    sock = conn.sock
    while True:
        n = sock.recv_into(view) if conn.raw is None else sock.readinto(view)
        if n is not None:
            break
        left = conn.deadline - ticks_diff(ticks_ms(), conn.start)
        for _ in conn._poll(max(0, min(left, int(conn.timeout_s * 1000)))):
            break
        else:
            raise _late()
    conn.received += n
    if ticks_diff(ticks_ms(), conn.start) > conn.deadline:
        raise _late()
    if not (n or eof_ok):
        raise NetworkError("reset", "connection closed mid-response")
    return n


def _compact(conn):
    # The unread bytes, room[pos:got], to the start of the room. In pieces
    # no longer than the gap, so that no piece overlaps its own copy: a
    # slice assignment is a plain memcpy on MicroPython.
    room, pos = memoryview(conn.room), conn.pos
    left = conn.got - pos
    at = 0
    while pos and at < left:
        n = min(pos, left - at)
        room[at : at + n] = room[pos + at : pos + at + n]
        at += n
    conn.got, conn.pos = left, 0


def _line(conn):
    # The next line without its CR LF, as room[conn.lo:conn.hi]; a bare
    # LF is accepted (RFC 9112 2.2). -> its length. Nothing is copied: a
    # field nobody reads costs no heap. The LF is looked for byte by byte
    # (a board's bytearray may have no find()), each byte once. A line
    # longer than the room is read through and dropped as it comes: -> minus
    # its length (no field we read is that long, and the head's size is
    # bounded all the same).
    room, seen, dropped = conn.room, 0, 0
    while True:
        pos, got = conn.pos, conn.got
        i = pos + seen
        while i < got and room[i] != 10:
            i += 1
        if i < got:
            break
        seen = i - pos
        if seen >= len(room):
            dropped += seen  # what the room holds of it goes
            conn.pos = conn.got = seen = 0
            if dropped > _MAX_HEAD:
                raise _bad("head")
        elif got == len(room):
            _compact(conn)  # the unread bytes to the start: room to read into
        conn.got += _into(conn, memoryview(room)[conn.got :], False)
    conn.lo, conn.pos = pos, i + 1
    if i > pos and room[i - 1] == 13:
        i -= 1
    conn.hi = i
    return -dropped - i + pos if dropped else i - pos


def _head(conn, headers):
    # One response head. -> 1000 * minor version + status, from
    # "HTTP/1.1 200 OK" (the reason is ignored); the _KEPT fields go
    # into headers, repeats joined by ", " (RFC 9110 5.3). Every line's
    # syntax is checked: no folding, no blank before the colon (RFC
    # 9112 5.1, 5.2). Bytes index to ints: nothing is copied but the
    # values kept.
    n = _line(conn)
    buf, lo = conn.room, conn.lo
    if n < 12 or buf[lo : lo + 7] != b"HTTP/1." or buf[lo + 8] != 32 or n > 12 and buf[lo + 12] != 32:
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
        size += abs(n) + 2
        if count > _MAX_FIELDS or size > _MAX_HEAD:
            raise _bad("head")
        if n < 0:
            continue  # longer than the room: no field we read
        buf, lo, hi = conn.room, conn.lo, conn.hi
        i = lo
        while i < hi and buf[i] != 58:  # the colon
            i += 1
        if i == lo or i == hi or buf[lo] in b" \t" or buf[i - 1] in b" \t":
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


def _sized(conn, k, max_body):
    # A body of k bytes (a Content-Length, a chunk): a view of the room
    # when it fits there (moved to its start if it would run past its
    # end), valid until the next response; else a bytearray of its own,
    # one block sized up front. A real provider's discovery document (2-6
    # KB) or token answer with an ID token (1.5-3 KB) spills.
    if k > max_body:
        raise _too_large(max_body)
    room = conn.room
    if k > len(room):
        body = bytearray(k)
        view = memoryview(body)
        have = min(k, conn.got - conn.pos)
        view[:have] = memoryview(room)[conn.pos : conn.pos + have]
        conn.pos += have
        while have < k:
            have += _into(conn, view[have:], False)
        return body
    if conn.pos + k > len(room):
        _compact(conn)
    start = conn.pos
    end = start + k
    while conn.got < end:
        conn.got += _into(conn, memoryview(room)[conn.got : end], False)
    conn.pos = end
    return memoryview(room)[start:end]


def _to_eof(conn, max_body):
    # A body that EOF ends (no length: HTTP/1.0 servers, and rare), in a
    # bytearray grown by each read.
    room = memoryview(conn.room)
    body = bytearray(room[conn.pos : conn.got])
    conn.pos = conn.got = 0
    n = -1
    while n:
        if len(body) > max_body:
            raise _too_large(max_body)
        n = _into(conn, room, True)
        body.extend(room[:n])
    return body


def _chunked(conn, max_body):
    # RFC 9112 7.1: size line (extensions ignored), data, CRLF ... 0,
    # trailers (read and dropped), empty line. The chunks' data is
    # gathered in a bytearray grown per chunk: no provider we know of
    # chunks a JSON answer this small.
    body = bytearray()
    while True:
        if _line(conn) < 0:
            raise _bad("body")  # a size line longer than the room
        digits = bytes(conn.room[conn.lo : conn.hi]).split(b";")[0].strip()
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
        body.extend(_sized(conn, size, max_body - len(body)))
        if _line(conn):
            raise _bad("body")
    for _ in range(_MAX_FIELDS + 1):
        if not _line(conn):
            return body
    raise _bad("head")


def response(conn, method, max_body, start):
    # -> the Response; conn.keep: may the connection be reused? Reads
    # until conn.deadline ms after `start` (clock.ticks_ms) at most.
    conn.start = start
    conn.got = conn.pos = 0
    raw = conn.raw
    if raw is not None:
        raw.settimeout(0)  # see the top
    try:
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
        body = b""
        if method == "HEAD" or status == 204 or status == 304:
            pass
        elif 300 <= status < 400:
            keep = False  # a redirect is not followed, its body not read
        elif te is not None:
            if te.lower() != "chunked":
                # We send no TE or Accept-Encoding: gzip is a server bug.
                raise _bad("body")
            body = _chunked(conn, max_body)
        elif conn.length is None:
            body = _to_eof(conn, max_body)
            keep = False  # EOF ended the body and the connection
        else:
            body = _sized(conn, conn.length, max_body)
    finally:
        if raw is not None:
            raw.settimeout(conn.timeout_s)
    # Bytes after the response (we never pipeline): the server is
    # confused, so no reuse either.
    conn.keep = keep and conn.got == conn.pos
    return Response(status, headers, body)
