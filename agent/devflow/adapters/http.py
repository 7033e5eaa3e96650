# The HTTP/1.1 transport: perform(request) -> Response, on MicroPython and
# CPython alike. This file owns the connection (DNS, socket, TLS, reuse,
# retry, errors); http_msg.py owns the bytes of the messages.
#
# Theory of operation
# - One connection at most. It is kept alive between requests to the same
#   (scheme, host, port) so polling the token endpoint costs one TLS
#   handshake, and closed on any error, on "Connection: close", on a body
#   read to EOF, on a redirect, when the next request goes elsewhere, and
#   on close().
# - https verifies the chain against the configured CA set and the name;
#   plain http is refused (ConfigError) unless the host is loopback, before
#   any DNS lookup or connect.
# - Redirects are never followed: a 3xx comes back as a Response with an
#   empty body, and nothing is ever sent to its Location.
# - Every socket error becomes NetworkError(kind) here, once; the only other
#   exceptions are ConfigError for a request we cannot send as asked, and
#   MemoryError, which the app handles for every task alike.
#
# Stale keep-alive connections. Servers close idle connections whenever
# they like. Before reusing one we poll it: if it is readable (EOF or stray
# bytes) it is dead and we open a fresh one; nothing was sent, so this is
# always safe. If the server closes in the instant between that check and
# our request, the exchange fails with no response byte. We then retry once
# on a fresh connection only when the request cannot have been acted on
# twice: it is idempotent (RFC 9110 9.2.2: GET, HEAD, ...), or sending it
# failed (a dead socket, so the server never saw a whole request). A POST
# that was sent is NOT retried: a token poll the server answered with
# success, whose answer was lost, would come back invalid_grant on a blind
# re-send and the tokens would be gone without a trace. Instead the caller
# gets NetworkError("reset") and the core polls again on its own schedule,
# which RFC 8628 3.5 already allows, and which it can see and log.
#
# TLS: the trusted certificates are loaded by http_req.py, once per client,
# when it is made (see there for what MicroPython's `tls` takes).

from micropython import const
import errno
import gc
import select
import socket
import sys

from devflow.adapters.http_msg import response, ticks_ms
from devflow.core.errors import ConfigError, NetworkError

try:
    import tls as _tls
except ImportError:  # CPython, and MicroPython before 1.23, call it ssl
    import ssl as _tls

# CPython's timeouts and TLS failures are exception types with no errno;
# MicroPython has neither type (getattr gives ()), only codes. So a
# _TLS_ERROR also says we run on CPython's ssl.
_TIMEOUT = getattr(socket, "timeout", ())
_TLS_ERROR = getattr(_tls, "SSLError", ())
# The receive buffer (HttpClient.room), heads and bodies: the local
# server's answers fit, the token answer the largest at under 900 bytes.
# A larger body (a provider's long tokens) spills into a fresh bytearray
# (http_msg._sized); a longer header line is dropped unread (http_msg._line).
_ROOM = const(1024)
# RFC 9110 9.2.2, looked up as " METHOD " (a method is a token: no blank).
# One string: a tuple of names would be an object per name, made when the
# module loads and kept for good, even when its code runs in place.
_IDEMPOTENT = const(" GET HEAD PUT DELETE OPTIONS TRACE ")


def _error(exc, host, connecting=False):
    # One OSError (or a refused certificate) -> NetworkError(kind). Only the
    # host goes into the text: never a header, a body or the path (which
    # may carry a query).
    if isinstance(exc, ValueError):
        return NetworkError("tls", "certificate not trusted for " + host)
    code = exc.errno
    kind = "connect" if connecting else "reset"
    if isinstance(exc, _TIMEOUT) or code in (errno.ETIMEDOUT, errno.EAGAIN, errno.EINPROGRESS):
        kind = "timeout"
    elif isinstance(exc, _TLS_ERROR) or isinstance(code, int) and code < 0:
        kind = "tls"  # Mbed TLS codes are negative, errnos positive
    return NetworkError(kind, "talking to " + host)


class HttpClient:
    # timeout_s bounds the connect (per address tried), the handshake and
    # every single read or write. deadline_s bounds the whole request from
    # start to last body byte; it is checked after every read, so a trickling
    # server is cut off at most one timeout_s late. requests_sent counts
    # what went on the wire, a retried request twice.
    # Responses are read into one buffer, `room`, allocated here while
    # the heap is still whole and reused for every response: a Response's
    # body is a view of it, valid until the next request. (A buffer
    # allocated per response, or per read, needs a contiguous run of the
    # heap that a fragmented board may not have, however much it has
    # free.) The connection's socket (`sock`) and the state of reading
    # its responses are attributes of the client too: http_msg.py's
    # functions read them, keep and received included (see there).

    def __init__(self, ca_data=None, timeout_s=10, deadline_s=30):
        # Everything the client keeps is made here, at boot: the TLS
        # context (3 KB in one piece, the largest object the agent keeps;
        # the app frees a hole for it just before: see app.py), then the
        # room, and every attribute, reading state included (an instance's
        # attribute table that grows later is a new block, placed wherever
        # the heap has room by then, and the old one left as a hole).
        self.ca_data = ca_data
        self._ctx = None
        self._prepare(None)
        gc.collect()   # http_req, dropped (see perform)
        self.timeout_s = timeout_s
        self.deadline = int(deadline_s * 1000)  # ms
        self.sock = self.raw = self._poll = self._target = self._request = None
        self._payload = self.length = None
        self.connections_opened = self.requests_sent = 0
        self.received = self.start = self.got = self.pos = self.lo = self.hi = 0
        self.keep = False
        self.room = bytearray(_ROOM)

    def close(self):
        # The bytes kept for the next poll go with the connection: a
        # request's own copy of its secrets and a few hundred bytes that
        # would otherwise sit in the heap between turns.
        sock = self.sock
        self.sock = self.raw = self._poll = self._request = self._payload = None
        if sock:
            try:
                sock.close()
            except OSError:
                pass  # already broken: nothing left to release

    def perform(self, request):
        # The core sends the very same Request for every poll of a device
        # code (Requests never change once built), so the URL is parsed and
        # the bytes built once per code and connection, not once per poll.
        # The kept connection is to the last request's origin: it goes when
        # the origin changes.
        if request is not self._request:
            origin, payload = self._prepare(request)  # ConfigError before any I/O
            # Collected here, not in _prepare: a frame of its own that
            # still held the module somewhere on the stack would keep it.
            gc.collect()
            if origin != self._target:
                self.close()
                self._target = origin  # else the kept one stays: no new block
            self._request, self._payload = request, payload
        origin, payload = self._target, self._payload
        method = request.method
        start = ticks_ms()
        # A kept-alive socket with something to read before we asked
        # anything was closed by the server (EOF) or is out of step: dead
        # either way. CPython's ssl may hold bytes that poll cannot see.
        sock = self.sock
        reused = sock is not None
        if reused:
            for _ in self._poll(0):
                reused = False
            if getattr(sock, "pending", 0) and sock.pending():
                reused = False
        # A MemoryError (a board's heap could not hold the response or the
        # TLS buffers) goes to the app, which closes us and carries on.
        while True:
            if not reused:
                self._connect()
            self.received = sent = 0
            try:
                self.sock.sendall(payload)
                sent = 1
                self.requests_sent += 1
                answer = response(self, method, request.max_body, start)
                if not self.keep:
                    self.close()
                return answer
            except (OSError, NetworkError) as exc:
                self.close()
                err = exc if isinstance(exc, NetworkError) else _error(exc, origin[1])
                # Retry only what cannot have been acted on twice (see
                # the top of this file).
                if not reused or self.received or err.args[0] == "timeout" or (
                        sent and " " + method + " " not in _IDEMPOTENT):
                    raise err
                reused = False

    def _prepare(self, request):
        # -> (origin, bytes) of a request. http_req.py is imported for this
        # and dropped again, as app.forget() drops modules: out of
        # sys.modules and its package, and with no frame holding it, it is
        # collected like any object, code and all (its names stay
        # interned). At once: the connect and the response that follow may
        # need its heap. request None (at boot): the TLS context, when
        # there are certificates, made before the import takes its share
        # of the hole the app freed for it. One that cannot be built (no
        # valid certificate) is left None: an https request then raises
        # the ConfigError, before any I/O, as a missing one does. One the
        # heap could not hold is built at the first https request.
        ctx = None
        if request is None:
            if not self.ca_data:
                return
            try:
                ctx = _tls.SSLContext(_tls.PROTOCOL_TLS_CLIENT)
            except MemoryError:
                return
        from devflow.adapters import http_req
        try:
            if request is not None:
                origin, payload = http_req.encode(request)
                if origin[0] == "https" and self._ctx is None:
                    self._ctx = http_req.tls_context(self.ca_data)  # ConfigError without one
                    self.ca_data = None
                return origin, payload
            try:
                self._ctx = http_req.tls_context(self.ca_data, ctx)
            except ConfigError:
                pass
            except MemoryError:
                return  # the certificates kept for the first https request
            # The context holds the certificates now (in DER); the PEM
            # text would take a few KB of heap for the board's lifetime.
            self.ca_data = None
        finally:
            # By the module's own name (interned): a dotted name written
            # here would be a string object kept with this module.
            sys.modules.pop(http_req.__name__, None)
            del http_req
            sys.modules["devflow.adapters"].__dict__.pop("http_req", None)

    def _connect(self):
        # A fresh connection to the request's origin (self.sock, and on
        # MicroPython self.raw: see http_msg.py). A stale connection goes,
        # but not the request's bytes: they are sent on this one and kept
        # for the next poll.
        request, payload = self._request, self._payload
        self.close()
        self._request, self._payload = request, payload
        scheme, host, port = self._target
        ctx = self._ctx if scheme == "https" else None
        try:
            infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
            infos[0]  # none at all is a failed lookup too
        except (OSError, IndexError):  # CPython's gaierror is an OSError
            raise NetworkError("dns", "cannot resolve " + host)
        for info in infos[:3]:  # localhost may resolve to ::1 and 127.0.0.1
            sock = None
            try:
                sock = socket.socket(info[0], socket.SOCK_STREAM)
                sock.settimeout(self.timeout_s)
                sock.connect(info[-1])
                raw = sock
                break
            except OSError as exc:
                if sock is not None:
                    sock.close()
                error = exc
        else:
            raise _error(error, host, True)
        self.connections_opened += 1
        if ctx is not None:
            try:
                sock = ctx.wrap_socket(sock, server_hostname=host)
            except (OSError, ValueError) as exc:
                # A refused certificate: before any request byte is sent.
                sock.close()
                raise _error(exc, host, True)
        poller = select.poll()  # one per connection, not per request
        poller.register(sock, select.POLLIN)
        # MicroPython's ipoll yields without building a result list.
        self._poll = getattr(poller, "ipoll", None) or poller.poll
        self.sock = sock
        self.raw = None if _TLS_ERROR else raw
