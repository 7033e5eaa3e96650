# The HTTP/1.1 transport: perform(request) -> Response, on MicroPython and
# CPython alike.
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
#   exception is ConfigError for a request we cannot send as asked.
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
# gets NetworkError(RESET) and the core polls again on its own schedule,
# which RFC 8628 3.5 already allows, and which it can see and log.

import errno
import gc
import socket

try:
    import select
except ImportError:
    select = None

from devflow.core.errors import ConfigError, NetworkError
from devflow.core.wire import Response
from devflow.adapters import http_parse, http_read, tls

_TIMEOUT_ERRNOS = (errno.ETIMEDOUT, errno.EAGAIN, getattr(errno, "EINPROGRESS", 115))
_SOCKET_TIMEOUT = getattr(socket, "timeout", None)  # CPython only
_MAX_INTERIM = 5  # 1xx responses skipped before the real one


def _errno_of(exc):
    code = getattr(exc, "errno", None)
    if code is None and exc.args:
        code = exc.args[0]
    return code if isinstance(code, int) else None


def _is_timeout(exc):
    if _SOCKET_TIMEOUT is not None and isinstance(exc, _SOCKET_TIMEOUT):
        return True
    return _errno_of(exc) in _TIMEOUT_ERRNOS


def _network_error(exc, connecting, host):
    # Classify an OSError. Only the host goes into the text: never a header,
    # a body or the path (which may carry a query).
    if _is_timeout(exc):
        return NetworkError(NetworkError.TIMEOUT, "no answer in time from " + host)
    if tls.is_tls_failure(exc):
        return NetworkError(NetworkError.TLS, "tls failure with " + host)
    if connecting:
        return NetworkError(NetworkError.CONNECT, "could not connect to " + host)
    return NetworkError(NetworkError.RESET, "connection to " + host + " broken")


class _Stale(Exception):
    # A reused connection died before the server answered and a retry is
    # safe (see the top of this file).
    pass


class HttpClient:
    # timeout_s bounds the connect (per address tried), the handshake and
    # every single read or write. deadline_s bounds the whole request from
    # start to last body byte; it is checked after every read, so a trickling
    # server is cut off at most one timeout_s late. requests_sent counts
    # what went on the wire, a retried request twice.
    default_max_body = 16384

    def __init__(self, ca_data=None, timeout_s=10, deadline_s=30):
        self.ca_data = ca_data
        self.timeout_s = timeout_s
        self.deadline_ms = int(deadline_s * 1000)
        self._ctx = None
        self._sock = None
        self._poller = None  # polls self._sock for a server-side close
        self._origin = None
        self._sent = (None, None, None)  # (request, target, payload) last built
        self.connections_opened = 0
        self.requests_sent = 0

    def close(self):
        sock = self._sock
        self._sock = None
        self._poller = None
        self._origin = None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass  # already broken: nothing left to release

    def perform(self, request):
        target, payload = self._prepare(request)
        try:
            return self._perform(request, target, payload)
        except MemoryError:
            # A board's heap could not hold the response (or the TLS
            # buffers). Dropping the connection frees them, so the app can
            # carry on; the core sees an ordinary transport failure.
            self.close()
            gc.collect()
            raise NetworkError(NetworkError.TOO_LARGE, "out of memory talking to " + target.host)

    def _perform(self, request, target, payload):
        start = http_read.ticks_ms()
        reused = self._reusable(target)
        if not reused:
            self._connect(target)
        try:
            return self._exchange(request, target, payload, start, reused)
        except _Stale:
            self._connect(target)
            return self._exchange(request, target, payload, start, False)

    def _prepare(self, request):
        # -> (target, payload). The core sends the very same Request for
        # every poll of a device code, so the URL is parsed and the head
        # built once per code, not once per poll (Requests are never
        # changed after they are built).
        last, target, payload = self._sent
        if request is last:
            return target, payload
        target = http_parse.parse_url(request.url)
        if target.scheme == "http" and not http_parse.is_loopback(target.host):
            raise ConfigError("plain http is only allowed to loopback, not " + target.host)
        payload = self._payload(request, target)
        self._sent = (request, target, payload)
        return target, payload

    def _payload(self, request, target):
        body = request.body or b""
        if not isinstance(body, (bytes, bytearray)):
            raise ConfigError("request: body must be bytes")
        # One buffer, one send: a separate small body write can sit out a
        # delayed-ACK round trip (Nagle) on some stacks.
        return http_parse.request_head(request.method, target, request.headers, len(body)) + body

    def _context(self):
        if self._ctx is None:
            self._ctx = tls.make_context(self.ca_data)
            # The context holds the certificates now (in DER); the PEM text
            # would only take a few KB of heap for the board's lifetime.
            self.ca_data = None
        return self._ctx

    def _reusable(self, target):
        # True when the kept connection goes to this origin and looks alive.
        if self._sock is None:
            return False
        if self._origin != target.origin or self._readable():
            self.close()
            return False
        return True

    def _readable(self):
        # A kept-alive socket with something to read before we asked
        # anything has been closed by the server (EOF) or is out of step:
        # either way dead.
        sock = self._sock
        if not tls.MICROPYTHON and getattr(sock, "pending", None) and sock.pending():
            return True
        poller = self._poller
        if poller is None:
            return select is not None and bool(select.select([sock], [], [], 0)[0])
        if hasattr(poller, "ipoll"):
            # MicroPython: ipoll yields without building a result list.
            for _ in poller.ipoll(0):
                return True
            return False
        return bool(poller.poll(0))

    def _connect(self, target):
        self.close()
        host = target.host
        context = self._context() if target.scheme == "https" else None  # ConfigError before any I/O
        try:
            infos = socket.getaddrinfo(host, target.port, 0, socket.SOCK_STREAM)
        except OSError:  # CPython's gaierror is an OSError too
            raise NetworkError(NetworkError.DNS, "cannot resolve " + host)
        if not infos:
            raise NetworkError(NetworkError.DNS, "cannot resolve " + host)
        sock = self._connect_any(infos[:3], host)
        self.connections_opened += 1
        if context is not None:
            sock = self._handshake(context, sock, host)
        self._sock = sock
        if select is not None and hasattr(select, "poll"):
            # One poller per connection, not one per request.
            self._poller = select.poll()
            self._poller.register(sock, select.POLLIN)
        self._origin = target.origin

    def _connect_any(self, infos, host):
        # Try each address (localhost may resolve to ::1 and 127.0.0.1).
        error = None
        for info in infos:
            sock = None
            try:
                sock = socket.socket(info[0], socket.SOCK_STREAM)
                sock.settimeout(self.timeout_s)
                sock.connect(info[-1])
                return sock
            except OSError as exc:
                if sock is not None:
                    sock.close()
                error = exc
        raise _network_error(error, True, host)

    def _handshake(self, context, sock, host):
        try:
            return tls.wrap(context, sock, host)
        except OSError as exc:
            sock.close()
            raise _network_error(exc, True, host)
        except NetworkError:
            sock.close()
            raise

    def _exchange(self, request, target, payload, start, reused):
        sock = self._sock
        reader = http_read.Reader(sock, start, self.deadline_ms)
        sent = False
        try:
            sock.sendall(payload)
            sent = True
            self.requests_sent += 1
            return self._response(request, reader)
        except OSError as exc:
            self.close()
            if self._may_retry(reused, reader, sent, request) and not _is_timeout(exc):
                raise _Stale()
            raise _network_error(exc, False, target.host)
        except NetworkError as err:
            self.close()
            if err.kind == NetworkError.RESET and self._may_retry(reused, reader, sent, request):
                raise _Stale()
            raise

    def _may_retry(self, reused, reader, sent, request):
        if not reused or reader.received:
            return False
        return not sent or request.method in http_parse.IDEMPOTENT

    def _response(self, request, reader):
        for _ in range(_MAX_INTERIM):
            minor, status, headers = http_read.read_head(reader)
            if status >= 200:
                break
            if status == 101:
                raise NetworkError(NetworkError.BAD_RESPONSE, "unrequested protocol switch")
        else:
            raise NetworkError(NetworkError.BAD_RESPONSE, "too many interim responses")
        if 300 <= status < 400:
            # Not followed, body not read; the core treats it as an error.
            self.close()
            return Response(status, headers, b"")
        framing, length = http_parse.body_framing(request.method, status, headers)
        cap = request.max_body if request.max_body is not None else self.default_max_body
        body = http_read.read_body(reader, framing, length, cap)
        if not http_parse.keeps_alive(minor, headers, framing) or reader.leftover():
            self.close()
        return Response(status, headers, body)


