"""Fixtures for the authserver tests: servers that stop themselves, and a
tiny HTTP client that returns (status, json body, headers) for any status."""

import base64
import json
import ssl
import urllib.error
import urllib.parse
import urllib.request

import pytest

from host_tools.authserver import AuthServer, FakeClock, ServerSettings

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class Http:
    def __init__(self, server):
        self.server = server
        self.secret = None  # set to send a wrong client secret
        self.context = ssl.create_default_context(cafile=server.ca_pem_path) \
            if server.ca_pem_path else None

    def raw(self, path, data=None, headers=None):
        """(status, body bytes, headers), whatever the status."""
        req = urllib.request.Request(self.server.base_url + path, data=data,
                                     headers=headers or {})
        req.add_header("Accept", "application/json")
        try:
            with urllib.request.urlopen(req, context=self.context, timeout=10) as r:
                return r.status, r.read(), r.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def request(self, path, form=None, headers=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        status, body, headers = self.raw(path, data, headers)
        return status, json.loads(body or b"null"), headers

    def get(self, path, headers=None):
        return self.request(path, headers=headers)

    def _auth(self, form, auth):
        """Add client authentication the way `auth` says to."""
        form = dict(form)
        headers = {}
        s = self.server
        secret = self.secret or s.client_secret
        if auth == "client_secret_basic":
            pair = f"{s.client_id}:{secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            form["client_id"] = s.client_id
            if auth == "client_secret_post":
                form["client_secret"] = secret
        return form, headers

    def device_authorize(self, scope="openid profile", auth=None, **extra):
        form = {"scope": scope, **extra} if scope else dict(extra)
        form, headers = self._auth(form, auth or self.server.token_endpoint_auth_method)
        return self.request("/oauth2/device/authorize", form, headers)

    def token(self, auth=None, **form):
        form, headers = self._auth(form, auth or self.server.token_endpoint_auth_method)
        return self.request("/oauth2/token", form, headers)

    def poll(self, device_code, auth=None):
        return self.token(auth, grant_type=DEVICE_GRANT, device_code=device_code)

    def refresh(self, refresh_token, auth=None):
        return self.token(auth, grant_type="refresh_token", refresh_token=refresh_token)

    def revoke(self, token, auth=None, **extra):
        form, headers = self._auth({"token": token, **extra},
                                   auth or self.server.token_endpoint_auth_method)
        return self.request("/oauth2/revoke", form, headers)

    def userinfo(self, access_token):
        return self.get("/oauth2/userinfo", {"Authorization": f"Bearer {access_token}"})


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_server(tmp_path, clock):
    """make_server(**settings) -> (server, Http); every server is stopped."""
    servers = []

    def make(**overrides):
        overrides.setdefault("clock", clock)
        if overrides.get("tls"):
            overrides.setdefault("certs_dir", str(tmp_path / f"certs{len(servers)}"))
        server = AuthServer(ServerSettings(**overrides)).start()
        servers.append(server)
        return server, Http(server)

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server_http(make_server):
    return make_server(interval=5, ttl=60)


def approved_tokens(server, http, scope="openid profile", auth=None):
    """Run a device flow to success; returns the token response body."""
    status, device, _ = http.device_authorize(scope=scope, auth=auth)
    assert status == 200, device
    server.approve(device["user_code"])
    status, tokens, _ = http.poll(device["device_code"], auth=auth)
    assert status == 200, tokens
    return tokens


@pytest.fixture
def run_flow():
    return approved_tokens
