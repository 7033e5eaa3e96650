"""Authlib's AuthorizationServer, glued to Werkzeug requests without Flask.

Authlib does the protocol work (client authentication, grant dispatch, error
bodies); this file supplies what a framework integration would: the request
wrapper, the (status, body, headers) hand-back, storage hooks, and the two
endpoints that are not grants (device authorization and revocation).
"""

import logging

from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Payload, OAuth2Request
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc8628 import DeviceAuthorizationEndpoint

from .codes import new_secret, new_user_code
from .grants import DeviceGrant, RefreshGrant, TokenFactory
from .models import DeviceRecord, TokenRecord

# These Authlib grants log each issued token in full at debug level; a
# caller that turns debug logging on for everything must not see them.
for _name in ("authlib.oauth2.rfc8628.device_code",
              "authlib.oauth2.rfc6749.grants.refresh_token"):
    logging.getLogger(_name).setLevel(logging.INFO)

ALL_CLIENT_AUTH = ["client_secret_basic", "client_secret_post", "none"]

# Every error body carries a description (the seed document does) so a
# person reading a device's log sees what went wrong.
_DESCRIPTIONS = {
    "authorization_pending": "The user has not yet approved or denied the request.",
    "access_denied": "The user denied the request.",
    "expired_token": "The device code has expired; start a new device authorization.",
    "invalid_grant": "The grant is invalid, expired, revoked or already used.",
    "invalid_client": "Client authentication failed.",
    "invalid_request": "The request is missing a parameter or is malformed.",
    "invalid_scope": "The requested scope is not allowed.",
    "unauthorized_client": "The client may not use this grant type.",
    "unsupported_grant_type": "The grant type is not supported by this server.",
    "unsupported_token_type": "The token type is not supported.",
}


class _FormPayload(OAuth2Payload):
    def __init__(self, form):
        self._form = form

    @property
    def data(self):
        return self._form

    @property
    def datalist(self):
        return {key: self._form.getlist(key) for key in self._form}


class WerkzeugOAuth2Request(OAuth2Request):
    """An OAuth2Request over a werkzeug.wrappers.Request (form body only)."""

    def __init__(self, request):
        # Authlib refuses plain http unless the host is loopback. Whether to
        # serve plain http (say, to a board on the LAN) is decided once, by
        # whoever started the server, so skip the per-request check.
        super().__init__(request.method, "https://localhost/", headers=request.headers)
        self.uri = request.url
        self._request = request
        self.payload = _FormPayload(request.form)
        self.token_record = None  # set by save_token

    @property
    def args(self):
        return self._request.args

    @property
    def form(self):
        return self._request.form


class DeviceEndpoint(DeviceAuthorizationEndpoint):
    """POST /oauth2/device/authorize (RFC 8628 section 3.1 and 3.2)."""

    CLIENT_AUTH_METHODS = ALL_CLIENT_AUTH

    def __init__(self, server):
        super().__init__(server)
        settings = server.settings
        self.EXPIRES_IN = settings.ttl
        self.INTERVAL = settings.enforced_interval

    def get_verification_uri(self):
        return self.server.issuer + "/device"

    def generate_device_code(self):
        return new_secret()

    def generate_user_code(self):
        settings = self.server.settings
        while True:
            code = new_user_code(settings.charset, settings.code_length)
            if not self.server.store.user_code_in_use(code):
                return code

    def save_device_credential(self, client_id, scope, data):
        settings = self.server.settings
        record = DeviceRecord(
            data["device_code"], data["user_code"], client_id,
            scope or settings.default_scope,
            settings.clock() + settings.ttl, settings.enforced_interval, settings.clock,
        )
        self.server.store.add_device(record)

    def create_endpoint_response(self, request):
        status, data, headers = super().create_endpoint_response(request)
        settings = self.server.settings
        if not settings.complete_uri:
            del data["verification_uri_complete"]
        if not settings.include_interval:
            del data["interval"]
        return status, data, headers


class Revocation(RevocationEndpoint):
    """POST /oauth2/revoke (RFC 7009)."""

    CLIENT_AUTH_METHODS = ALL_CLIENT_AUTH

    def query_token(self, token_string, token_type_hint):
        # RFC 7009 section 2.1: a wrong hint only widens the search.
        store = self.server.store
        return store.token_by_access(token_string) or store.token_by_refresh(token_string)

    def revoke_token(self, record, request):
        # RFC 7009 section 2.1: revoking a refresh token SHOULD also revoke
        # the access tokens of the same grant.
        if request.form["token"] == record.refresh_token:
            self.server.store.revoke_grant(record.grant_id)
        else:
            record.access_revoked = True


class OAuthServer(AuthorizationServer):
    def __init__(self, settings, store, issuer):
        super().__init__(scopes_supported=settings.scopes_supported)
        self.settings = settings
        self.store = store
        self.issuer = issuer
        self.register_token_generator("default", TokenFactory(settings, issuer))
        self.register_grant(DeviceGrant)
        self.register_grant(RefreshGrant)
        self.register_endpoint(DeviceEndpoint(self))
        self.register_endpoint(Revocation(self))

    def query_client(self, client_id):
        return self.store.clients.get(client_id)

    def save_token(self, token, request):
        previous = request.refresh_token  # set by the refresh grant only
        record = TokenRecord(
            previous.grant_id if previous else new_secret(),
            request.client.get_client_id(), request.user, token.get("scope"),
            token["access_token"], token.get("refresh_token"),
            self.settings.clock(), token["expires_in"], token.get("id_token"),
        )
        self.store.add_token(record)
        request.token_record = record

    def create_oauth2_request(self, request):
        if isinstance(request, OAuth2Request):
            return request
        return WerkzeugOAuth2Request(request)

    def create_json_request(self, request):
        raise NotImplementedError("no JSON endpoints here")

    def send_signal(self, name, *args, **kwargs):
        pass

    def handle_response(self, status, body, headers):
        if status >= 400 and isinstance(body, dict) and "error" in body:
            body.setdefault("error_description", _DESCRIPTIONS.get(body["error"], body["error"]))
            body["status_code"] = status  # as the seed document (Cloudentity) does
        return status, body, headers
