# Bounded reading of one HTTP/1.1 response from a socket.
#
# Every read is capped: a line at MAX_LINE bytes, the head at MAX_HEADERS
# fields and MAX_HEAD bytes, the body at the request's max_body. A server
# that trickles bytes is stopped by the per-read socket timeout or by the
# whole-response budget, checked after every recv.
#
# Reads use sock.recv(n) with n <= _RECV: it returns whatever arrived, on
# CPython, on MicroPython plain sockets and on MicroPython TLS sockets alike.
# (MicroPython's readinto() on a socket waits until the buffer is full, and
# plain MicroPython sockets have no recv_into.) OSError from the socket is
# left to the caller, which classifies it once.

import gc
import sys

from devflow.core.errors import NetworkError
from devflow.adapters import http_parse

try:
    from micropython import const
except ImportError:

    def const(x):
        return x


try:
    from time import ticks_ms, ticks_diff
except ImportError:  # CPython
    from time import monotonic

    def ticks_ms():
        return int(monotonic() * 1000)

    def ticks_diff(a, b):
        return a - b


MAX_LINE = const(1024)
MAX_HEADERS = const(32)
MAX_HEAD = const(4096)
_RECV = const(1024)  # small enough for a 56 KB heap, big enough for a TLS record's worth
_BIG = const(4096)  # buffers this size are worth a collection first
_COLLECT = sys.implementation.name == "micropython"


def _bad(why):
    return NetworkError(NetworkError.BAD_RESPONSE, why)


def _closed(where):
    return NetworkError(NetworkError.RESET, "connection closed " + where)


class Reader:
    # One response's worth of buffered, bounded reads from `sock`.
    # `received` counts bytes from the server: 0 means it never answered,
    # which is what the client needs to decide whether a retry is safe.
    def __init__(self, sock, start, budget_ms):
        self.sock = sock
        self.start = start
        self.budget_ms = budget_ms
        self.buf = b""
        self.pos = 0
        self.lo = self.hi = 0  # the last line: self.buf[lo:hi]
        self.received = 0

    def _recv(self, n):
        data = self.sock.recv(n)
        self.received += len(data)
        if ticks_diff(ticks_ms(), self.start) > self.budget_ms:
            raise NetworkError(NetworkError.TIMEOUT, "response took too long")
        return data

    def leftover(self):
        # Bytes after the response: we never pipeline, so the server is
        # confused and the connection must not be reused.
        return len(self.buf) > self.pos

    def span(self):
        # The next line, without its CRLF, as self.buf[self.lo:self.hi]
        # (a bare LF is accepted, RFC 9112 2.2); returns its length. Nothing
        # is copied: a header nobody reads costs no heap.
        while True:
            i = self.buf.find(b"\n", self.pos)
            if i >= 0:
                if i - self.pos > MAX_LINE:
                    raise _bad("line too long")
                self.lo = self.pos
                self.hi = i - 1 if i > self.pos and self.buf[i - 1] == 13 else i
                self.pos = i + 1
                return self.hi - self.lo
            if len(self.buf) - self.pos > MAX_LINE:
                raise _bad("line too long")
            data = self._recv(_RECV)
            if not data:
                raise _closed("before the response ended")
            self.buf = self.buf[self.pos :] + data if self.pos < len(self.buf) else data
            self.pos = 0

    def line(self):
        # The next line as bytes (one copy).
        self.span()
        return self.buf[self.lo : self.hi]

    def _take_buffered(self, n):
        # Up to n already-buffered bytes, as a memoryview (no copy).
        k = len(self.buf) - self.pos
        if k > n:
            k = n
        view = memoryview(self.buf)[self.pos : self.pos + k]
        self.pos += k
        return view

    def fill(self, dest, off, n):
        # Exactly n bytes into the bytearray dest at off.
        mv = memoryview(dest)
        got = self._take_buffered(n)
        mv[off : off + len(got)] = got
        off += len(got)
        n -= len(got)
        while n:
            data = self._recv(n if n < _RECV else _RECV)
            if not data:
                raise _closed("mid-body")
            mv[off : off + len(data)] = data
            off += len(data)
            n -= len(data)

    def take_buffered(self):
        # Everything buffered so far (maybe empty), then from the socket.
        if self.pos < len(self.buf):
            return self._take_buffered(len(self.buf))
        return self.recv_some()

    def recv_some(self):
        # Up to _RECV bytes as they arrive; b"" at EOF.
        return self._recv(_RECV)


def read_head(reader):
    # -> (minor_version, status, headers) with lower-case header names;
    # only the fields in http_parse.KEPT are kept.
    minor, status = http_parse.parse_status_line(reader.line())
    headers = {}
    total = 0
    count = 0
    while True:
        n = reader.span()
        if not n:
            return minor, status, headers
        count += 1
        total += n + 2
        if count > MAX_HEADERS or total > MAX_HEAD:
            raise _bad("response head too large")
        if http_parse.header_is_kept(reader.buf, reader.lo, reader.hi):
            name, value = http_parse.parse_header_line(reader.buf[reader.lo : reader.hi])
            http_parse.add_header(headers, name, value)


def _too_large(cap):
    return NetworkError(NetworkError.TOO_LARGE, "body over %d bytes" % cap)


def _buffer(size):
    # A MicroPython heap is small and fragments: free what we can before
    # asking for a big contiguous block (CPython does not need the help).
    if _COLLECT and size >= _BIG:
        gc.collect()
    return bytearray(size)


class _Body:
    # A body buffer that never grows past cap. Sized exactly when the length
    # is known; otherwise it doubles, so a server sending 1-byte chunks
    # costs a few reallocations, not one object per byte.
    def __init__(self, size, cap):
        self.buf = _buffer(size)
        self.n = 0
        self.cap = cap

    def reserve(self, k):
        # Room for k more bytes at self.n, or TOO_LARGE.
        need = self.n + k
        if need > self.cap:
            raise _too_large(self.cap)
        if need > len(self.buf):
            grown = _buffer(min(self.cap, max(need, 2 * len(self.buf))))
            grown[: self.n] = memoryview(self.buf)[: self.n]
            self.buf = grown

    def bytes(self):
        # Response.body is bytes: one copy, the price of an immutable body.
        if self.n == len(self.buf):
            return bytes(self.buf)
        return bytes(memoryview(self.buf)[: self.n])


def _read_chunked(reader, body):
    # RFC 9112 7.1: size line, data, CRLF ... 0, trailers, empty line.
    while True:
        size = http_parse.chunk_size(reader.line())
        if size == 0:
            break
        body.reserve(size)
        reader.fill(body.buf, body.n, size)
        body.n += size
        if reader.line():
            raise _bad("missing CRLF after chunk")
    for _ in range(MAX_HEADERS + 1):
        if not reader.line():  # trailers are read and dropped
            return
    raise _bad("too many trailer fields")


def _read_until_eof(reader, body):
    data = reader.take_buffered()
    while data:
        body.reserve(len(data))
        body.buf[body.n : body.n + len(data)] = data
        body.n += len(data)
        data = reader.recv_some()


_GUESS = const(512)  # first buffer when the length is unknown


def read_body(reader, framing, length, cap):
    # -> bytes of the body, never more than cap.
    if framing == http_parse.NO_BODY:
        return b""
    if framing == http_parse.LENGTH:
        if length > cap:
            raise _too_large(cap)
        body = _Body(length, cap)
        reader.fill(body.buf, 0, length)
        body.n = length
    else:
        body = _Body(min(_GUESS, cap), cap)
        if framing == http_parse.CHUNKED:
            _read_chunked(reader, body)
        else:
            _read_until_eof(reader, body)
    return body.bytes()
