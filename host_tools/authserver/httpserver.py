"""A threaded Werkzeug server whose TLS handshake runs in the worker thread.

Werkzeug wraps the listening socket, so each handshake happens inside
accept() on the serving thread and one stalled client blocks everyone.
Here the plain socket is accepted and wrapped per connection instead.
"""

import logging
import ssl
import threading

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

log = logging.getLogger("host_tools.authserver.http")

_HANDSHAKE_TIMEOUT = 10.0


class _QuietHandler(WSGIRequestHandler):
    # Werkzeug closes every connection after one response (so a client
    # may read to EOF); this bounds a client that sends nothing.
    timeout = 30

    def log(self, type, message, *args):
        # Werkzeug would print every request line; ours logs its own
        # (secret-free) lines, so send these to debug only.
        log.debug(message, *args)


class Server(ThreadedWSGIServer):
    block_on_close = False  # stop() must not wait for a slow client

    def __init__(self, host, port, app, tls_context=None):
        super().__init__(host, port, app, handler=_QuietHandler)
        # Set after construction so Werkzeug does not wrap the listening
        # socket, yet its handler still reports wsgi.url_scheme "https".
        self.ssl_context = tls_context

    def finish_request(self, request, client_address):
        if self.ssl_context is None:
            return super().finish_request(request, client_address)
        request.settimeout(_HANDSHAKE_TIMEOUT)
        try:
            tls_sock = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            log.debug("TLS handshake with %s failed: %s", client_address, error)
            return None
        try:
            tls_sock.settimeout(_QuietHandler.timeout)
            return super().finish_request(tls_sock, client_address)
        finally:
            tls_sock.close()

    def log(self, type, message, *args):
        # Werkzeug reports app errors here; keep them off its own stderr handler.
        log.error(message, *args)

    def handle_error(self, request, client_address):
        log.debug("connection from %s ended with an error", client_address, exc_info=True)


def serve_in_thread(server):
    # A short poll interval makes shutdown() (and so each test) quick.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="authserver", daemon=True)
    thread.start()
    return thread
