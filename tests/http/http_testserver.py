"""A small threaded HTTP/1.1 server with scripted behaviours, for the
transport tests. Plain or TLS (a trustme certificate); it counts
connections, failed handshakes and application bytes, so a test can prove
that a refused certificate let no request byte through.

Behaviour is chosen by path (the query is ignored):

  /json          200, JSON echo of the request (method, path, headers, body)
  /chunked       200, chunked with extensions and a trailer
  /close         200 with Connection: close, then closes
  /then-close    200 keep-alive, then closes anyway (a stale connection)
  /drop-once     the first time: reads the request, closes without answer
  /eof           200 without length, body until close
  /huge          200 with Content-Length 2 MB
  /huge-chunked  2 MB in 16 KiB chunks
  /huge-eof      2 MB without length
  /trickle       200 Content-Length 64, then one byte every 50 ms
  /trickle-eof   200 without length, one byte every 50 ms forever
  /reset         200 Content-Length 100, 10 bytes, then a TCP reset
  /redirect      302 to /json with a small body
  /long-headers  200 JSON echo, with fields of a few KB (a provider's
                 Content-Security-Policy, a cookie)
  /slow-headers  status line, then silence
  /http10        HTTP/1.0 response without keep-alive
  /garbage       not HTTP at all
"""

import json
import socket
import ssl
import struct
import threading

TWO_MB = 2 * 1024 * 1024
_STALL_S = 10  # how long "forever" is: far beyond every client timeout


class ScriptedServer:
    def __init__(self, ca=None, cert_hosts=("localhost", "127.0.0.1", "::1"), bind="127.0.0.1"):
        family = socket.AF_INET6 if ":" in bind else socket.AF_INET
        self.bind = "[%s]" % bind if ":" in bind else bind
        self.listener = socket.create_server((bind, 0), family=family)
        self.port = self.listener.getsockname()[1]
        self.ctx = None
        if ca is not None:
            self.ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert(*cert_hosts).configure_cert(self.ctx)
        self.scheme = "https" if ca is not None else "http"
        self.stop = threading.Event()
        self.lock = threading.Condition()
        self.connections = 0
        self.active = 0
        self.handshake_failures = 0
        self.app_bytes = 0
        self.requests = []
        self.dropped = set()
        self._socks = []
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def url(self, path, host=None):
        return "%s://%s:%d%s" % (self.scheme, host or self.bind, self.port, path)

    def paths(self):
        with self.lock:
            return [r["method"] + " " + r["path"] for r in self.requests]

    def wait_idle(self, timeout=5.0):
        """True once no connection is open on the server side."""
        with self.lock:
            return self.lock.wait_for(lambda: self.active == 0, timeout)

    def close(self):
        self.stop.set()
        with self.lock:
            socks = [self.listener] + self._socks
        for s in socks:
            # shutdown() wakes a thread blocked in accept() or recv();
            # close() alone does not on Linux.
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            _quiet_close(s)
        self._thread.join(2)

    def _accept_loop(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                self.active += 1
                self._socks.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            conn.settimeout(_STALL_S)
            if self.ctx is not None:
                try:
                    conn = self.ctx.wrap_socket(conn, server_side=True)
                except (ssl.SSLError, OSError):
                    with self.lock:
                        self.handshake_failures += 1
                    return
                with self.lock:
                    self._socks.append(conn)
            stream = conn.makefile("rb")
            while not self.stop.is_set():
                request = self._read_request(stream)
                if request is None or not self._answer(conn, request):
                    return
        except OSError:
            pass  # the client went away: normal for cap and timeout tests
        finally:
            _quiet_close(conn)
            with self.lock:
                self.active -= 1
                self.lock.notify_all()

    def _read_request(self, stream):
        line = stream.readline(65537)
        if not line:
            return None
        self._count(len(line))
        method, target, _ = line.decode("latin-1").split(" ", 2)
        headers = []
        while True:
            line = stream.readline(65537)
            self._count(len(line))
            if line in (b"\r\n", b"\n", b""):
                break
            name, value = line.decode("latin-1").split(":", 1)
            headers.append([name, value.strip()])
        length = int(dict((k.lower(), v) for k, v in headers).get("content-length", "0"))
        body = stream.read(length) if length else b""
        self._count(len(body))
        request = {"method": method, "path": target.split("?")[0], "target": target,
                   "headers": headers, "body": body.decode("latin-1")}
        with self.lock:
            self.requests.append(request)
        return request

    def _count(self, n):
        with self.lock:
            self.app_bytes += n

    def _answer(self, conn, request):
        handler = getattr(self, "_do_" + request["path"].strip("/").replace("-", "_"), None)
        if handler is None:
            conn.sendall(_response(404, b"not found"))
            return True
        return handler(conn, request)

    # Each behaviour returns True to keep the connection open.

    def _do_json(self, conn, request):
        conn.sendall(_response(200, json.dumps(request).encode(), [("Content-Type", "application/json")]))
        return True

    def _do_chunked(self, conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"5;name=value\r\nhello\r\n1\r\n \r\n"
                     b"0005\r\nworld\r\n0\r\nX-Trailer: yes\r\n\r\n")
        return True

    def _do_close(self, conn, request):
        conn.sendall(_response(200, b"bye", [("Connection", "close")]))
        return False

    def _do_then_close(self, conn, request):
        conn.sendall(_response(200, b"stale soon"))
        return False

    def _do_drop_once(self, conn, request):
        with self.lock:
            first = request["method"] not in self.dropped
            self.dropped.add(request["method"])
        if first:
            return False
        return self._do_json(conn, request)

    def _do_eof(self, conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\n\r\nuntil the end")
        return False

    def _do_huge(self, conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % TWO_MB)
        conn.sendall(b"x" * TWO_MB)
        return True

    def _do_huge_chunked(self, conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        block = b"4000\r\n" + b"x" * 0x4000 + b"\r\n"
        for _ in range(TWO_MB // 0x4000):
            conn.sendall(block)
        conn.sendall(b"0\r\n\r\n")
        return True

    def _do_huge_eof(self, conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * TWO_MB)
        return False

    def _trickle(self, conn, head):
        conn.sendall(head)
        while not self.stop.wait(0.05):
            conn.sendall(b"t")
        return False

    def _do_trickle(self, conn, request):
        return self._trickle(conn, b"HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n")

    def _do_trickle_eof(self, conn, request):
        return self._trickle(conn, b"HTTP/1.1 200 OK\r\n\r\n")

    def _do_reset(self, conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
        # SO_LINGER 0: close() sends RST instead of FIN.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        return False

    def _do_redirect(self, conn, request):
        conn.sendall(_response(302, b"moved to /json", [("Location", self.url("/json"))]))
        return True

    def _do_long_headers(self, conn, request):
        policy = "default-src 'none'; " + "; ".join("connect-src https://s%d.example" % i for i in range(120))
        conn.sendall(_response(200, json.dumps(request).encode(), [
            ("Content-Security-Policy", policy), ("Set-Cookie", "s=" + "c" * 1500 + "; Secure; HttpOnly"),
            ("Content-Type", "application/json")]))
        return True

    def _do_slow_headers(self, conn, request):
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        self.stop.wait(_STALL_S)
        return False

    def _do_http10(self, conn, request):
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\nold!")
        return True  # the client must close: HTTP/1.0 without keep-alive

    def _do_garbage(self, conn, request):
        conn.sendall(b"SSH-2.0-OpenSSH\r\n\r\n")
        return False


def _response(status, body, headers=()):
    reason = {200: "OK", 302: "Found", 404: "Not Found"}[status]
    head = "HTTP/1.1 %d %s\r\nContent-Length: %d\r\n" % (status, reason, len(body))
    for name, value in headers:
        head += "%s: %s\r\n" % (name, value)
    return head.encode() + b"\r\n" + body


def _quiet_close(sock):
    try:
        sock.close()
    except OSError:
        pass
