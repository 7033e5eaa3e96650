"""The records the server keeps: clients, users, device codes, tokens.

Clients, tokens and device credentials implement the Authlib mixins the
grants call into; everything else is plain attributes.
"""

import hmac

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oauth2.rfc8628 import DeviceCredentialMixin

PENDING = "pending"
APPROVED = "approved"
DENIED = "denied"
REDEEMED = "redeemed"


class User:
    def __init__(self, username, name, password):
        self.username = username
        self.name = name
        self.password = password

    @property
    def sub(self):
        return "user-" + self.username

    def claims(self):
        return {"sub": self.sub, "name": self.name, "preferred_username": self.username}


class Client(ClientMixin):
    def __init__(self, client_id, client_secret, auth_method, name):
        self.client_id = client_id
        self.client_secret = client_secret if auth_method != "none" else None
        self.auth_method = auth_method
        self.name = name

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return None

    def get_allowed_scope(self, scope):
        return scope or ""

    def check_redirect_uri(self, redirect_uri):
        return False

    def check_client_secret(self, client_secret):
        if self.client_secret is None:
            return False
        return hmac.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        # One method for every endpoint, as RFC 8414 metadata describes it.
        return method == self.auth_method

    def check_response_type(self, response_type):
        return False

    def check_grant_type(self, grant_type):
        return grant_type in (
            "urn:ietf:params:oauth:grant-type:device_code",
            "refresh_token",
        )


class DeviceRecord(DeviceCredentialMixin):
    """One device authorization: its codes, its state and its poll timing."""

    def __init__(self, device_code, user_code, client_id, scope, expires_at, interval, clock):
        self.device_code = device_code
        self.user_code = user_code  # as shown, with the hyphen
        self.client_id = client_id
        self.scope = scope
        self.expires_at = expires_at
        self.interval = interval
        self.last_poll = None
        self.state = PENDING
        self.user = None
        self.grant_id = None  # set when tokens were issued
        self._clock = clock

    def get_client_id(self):
        return self.client_id

    def get_scope(self):
        return self.scope

    def get_user_code(self):
        return self.user_code

    def is_expired(self):
        return self._clock() >= self.expires_at


class TokenRecord(TokenMixin):
    """An access token and (maybe) its refresh token, one grant family each."""

    def __init__(self, grant_id, client_id, user, scope, access_token, refresh_token,
                 issued_at, expires_in, id_token=None):
        self.grant_id = grant_id
        self.client_id = client_id
        self.user = user
        self.scope = scope
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.issued_at = issued_at
        self.expires_in = expires_in
        self.id_token = id_token  # kept for the record only: no endpoint reads it back
        self.access_revoked = False
        self.refresh_rotated_out = False  # replaced by a newer refresh token

    def check_client(self, client):
        return client.get_client_id() == self.client_id

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return self.expires_in

    def is_access_valid(self, now):
        return not self.access_revoked and now < self.issued_at + self.expires_in

    def get_user(self):
        return self.user
