"""A tiny RFC 8628 server that keeps connections alive, for the per-poll
allocation bench (the local authserver, on Werkzeug, closes after every
response, so there every poll would pay a new connection and handshake).

POST /device -> a device code; POST /token -> authorization_pending,
forever. HTTP/1.1 with Content-Length, so the stdlib handler keeps the
connection; it counts connections (= TLS handshakes) and requests.
"""

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            self.server.requests += 1
        if self.path == "/device":
            base = self.server.base_url
            body = {"device_code": "bench-device-code", "user_code": "WDJB-MJHT",
                    "verification_uri": base + "/device", "verification_uri_complete": base + "/device?user_code=WDJB-MJHT",
                    "expires_in": 600, "interval": 1}
            status = 200
        else:
            body, status = {"error": "authorization_pending"}, 400
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class KeepAliveServer:
    def __init__(self, ca=None):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.lock = threading.Lock()
        self.httpd.connections = self.httpd.requests = 0
        port = self.httpd.server_address[1]
        scheme = "http"
        if ca is not None:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("localhost", "127.0.0.1").configure_cert(ctx)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        host = "localhost" if ca is not None else "127.0.0.1"
        self.base_url = self.httpd.base_url = "%s://%s:%d" % (scheme, host, port)
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def connections(self):
        return self.httpd.connections

    @property
    def requests(self):
        return self.httpd.requests

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
