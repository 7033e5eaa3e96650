"""AuthServer: the local authorization server as one object with a lifecycle.

    s = AuthServer(ServerSettings(tls=True, certs_dir=tmp))
    s.start()                 # returns once the socket listens
    ... s.base_url, s.ca_pem_path, s.approve(user_code), s.wait_for(...)
    s.stop()

Everything the HTTP pages can do is also a method here (approve, deny), so
tests can play the person directly; user_agent.py plays them over HTTP.
"""

import logging
from urllib.parse import urlsplit

from . import models
from .app import App
from .endpoints import Endpoints
from .events import EventLog
from .faults import Faults
from .httpserver import Server, serve_in_thread
from .oauth import OAuthServer
from .pages import Pages
from .settings import ServerSettings
from .store import Store
from .tls import DEFAULT_HOSTNAMES, make_tls

log = logging.getLogger("host_tools.authserver")

DEMO_PASSWORD = "demo"
DEMO_USERS = (("alice", "Alice Example"), ("bob", "Bob Example"))


class AuthServer:
    def __init__(self, settings=None):
        self.settings = (settings or ServerSettings()).validate()
        self.clock = self.settings.clock
        self.events = EventLog()
        self.faults = Faults()
        self.store = Store(self.clock)
        self._add_demo_accounts()
        self._http = None
        self._thread = None
        self._tls = None
        self.base_url = None

    def _add_demo_accounts(self):
        s = self.settings
        self.store.add_client(models.Client(
            s.client_id, s.client_secret, s.token_endpoint_auth_method, s.client_name))
        for username, name in DEMO_USERS:
            self.store.add_user(models.User(username, name, DEMO_PASSWORD))

    # -- lifecycle -----------------------------------------------------------

    def start(self):
        s = self.settings
        if s.tls:
            self._tls = make_tls(s.certs_dir, self._cert_hostnames(), s.cert_untrusted_ca)
        context = self._tls.server_context if self._tls else None
        # The app needs the issuer and the issuer needs the port, so bind
        # first with a placeholder app, then install the real one.
        try:
            self._http = Server(s.host, s.port, app=None, tls_context=context)
        except SystemExit:  # Werkzeug exits on bind errors; a library raises
            raise OSError(f"cannot listen on {s.host}:{s.port}") from None
        self.base_url = (s.issuer_url or self._default_base_url()).rstrip("/")
        oauth = OAuthServer(s, self.store, self.base_url)
        self._http.app = App(Endpoints(oauth, self.store, self.events, self.faults),
                             Pages(self.store, s, self.events))
        self._thread = serve_in_thread(self._http)
        log.info("listening on %s", self.base_url)
        return self

    def stop(self):
        if self._http is not None:
            self._http.shutdown()
            self._thread.join(timeout=5)
            self._http = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _cert_hostnames(self):
        if self.settings.cert_hostname:
            return (self.settings.cert_hostname,)
        names = list(DEFAULT_HOSTNAMES)
        if self.settings.issuer_url:
            issuer_host = urlsplit(self.settings.issuer_url).hostname
            if issuer_host and issuer_host not in names:
                names.append(issuer_host)
        return tuple(names)

    def _default_base_url(self):
        port = self._http.port
        if self.settings.tls:
            return f"https://localhost:{port}"
        host = self.settings.host
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}"

    # -- what tests read -----------------------------------------------------

    @property
    def port(self):
        return self._http.port if self._http else None

    @property
    def issuer(self):
        return self.base_url

    @property
    def ca_pem_path(self):
        return self._tls.ca_pem_path if self._tls else None

    @property
    def ca_pem(self):
        return self._tls.ca_pem if self._tls else None

    @property
    def ca_der(self):
        return self._tls.ca_der if self._tls else None

    @property
    def client_id(self):
        return self.settings.client_id

    @property
    def client_secret(self):
        """The demo client's secret; None for a public client (auth "none")."""
        return self.store.clients[self.settings.client_id].client_secret

    @property
    def token_endpoint_auth_method(self):
        return self.settings.token_endpoint_auth_method

    def wait_for(self, predicate, timeout=10.0, since=0):
        """The first event (index >= since) with predicate(event) true; waits
        on the event log's condition variable; TimeoutError after timeout."""
        return self.events.wait_for(predicate, timeout, since)

    # -- what tests do -------------------------------------------------------

    def approve(self, user_code, username="alice"):
        """Approve a pending request as `username`, like the consent page."""
        self._decide(user_code, username, True)

    def deny(self, user_code, username="alice"):
        self._decide(user_code, username, False)

    def _decide(self, user_code, username, approved):
        user = self.store.users[username]
        if not self.store.decide(user_code, user, approved):
            raise LookupError(f"no pending device authorization for user code {user_code!r}")
        self.events.append(endpoint="verification", outcome="approved" if approved else "denied",
                           user_code=user_code, username=username, via="hook")

    def inject_failures(self, count=1, status=503, error="temporarily_unavailable",
                        description="Injected failure.", retry_after=None, endpoint="token"):
        """Answer the next `count` requests to `endpoint` ("token",
        "device_authorization" or "revocation") with this error instead."""
        self.faults.inject(count, status, error, description, retry_after, endpoint)
