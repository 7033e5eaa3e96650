"""Token endpoint grants (device code, refresh token) and the token factory.

Authlib runs each grant's validation and response steps; the hooks here say
where the state lives and add what Authlib leaves to the server: poll timing,
single redemption and refresh token rotation with replay detection.
"""

from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidGrantError
from authlib.oauth2.rfc8628 import DeviceCodeGrant, SlowDownError

from . import models
from .codes import new_secret
from .keys import make_id_token

# RFC 8628 section 3.5, slow_down: "the interval MUST be increased by 5
# seconds for this and all subsequent requests."
SLOW_DOWN_STEP = 5


class SlowDown(SlowDownError):
    """slow_down that says the new interval, and (optionally) sends it."""

    def __init__(self, interval, send_interval):
        super().__init__(
            f"Polling too fast; wait at least {interval} seconds between requests."
        )
        self.interval = interval
        self.send_interval = send_interval

    def get_body(self):
        body = super().get_body()
        if self.send_interval:
            body.append(("interval", self.interval))
        return body


class DeviceGrant(DeviceCodeGrant):
    """grant_type=urn:ietf:params:oauth:grant-type:device_code."""

    def query_device_credential(self, device_code):
        record = self.server.store.device_by_code(device_code)
        if record is None:
            raise InvalidGrantError("Unknown device_code.")
        if record.state == models.REDEEMED:
            # As node-oidc-provider does: a replayed device code means the
            # tokens may be in the wrong hands, so the whole grant goes.
            self.server.store.revoke_grant(record.grant_id)
            raise InvalidGrantError("The device_code was already redeemed; the grant is revoked.")
        self.record = record
        return record

    def query_user_grant(self, user_code):
        if self.record.state == models.PENDING:
            return None
        return self.record.user, self.record.state == models.APPROVED

    def should_slow_down(self, record):
        # Measured between polls; the first poll is never too early, since
        # clients differ on whether to wait one interval before it.
        now = self.server.settings.clock()
        too_fast = record.last_poll is not None and now - record.last_poll < record.interval
        record.last_poll = now
        if not (too_fast and self.server.settings.enforce_slow_down):
            return False
        record.interval += SLOW_DOWN_STEP
        # Authlib raises a plain SlowDownError when this returns True; raise
        # ours instead so the body can name the new interval.
        raise SlowDown(record.interval, self.server.settings.slow_down_sends_interval)

    def create_token_response(self):
        response = super().create_token_response()
        # RFC 8628 section 3.5 / RFC 6749 section 10.5: a device code is
        # redeemed once.
        self.record.state = models.REDEEMED
        self.record.grant_id = self.request.token_record.grant_id
        return response


class RefreshGrant(grants.RefreshTokenGrant):
    """grant_type=refresh_token, with optional rotation."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def authenticate_refresh_token(self, refresh_token):
        record = self.server.store.token_by_refresh(refresh_token)
        if record is not None and record.refresh_rotated_out:
            # RFC 9700 section 4.14.2: reuse of a rotated-out refresh token
            # revokes the active one too (node-oidc-provider does the same).
            self.server.store.revoke_grant(record.grant_id)
            raise InvalidGrantError("The refresh token was already used; the grant is revoked.")
        return record

    def authenticate_user(self, record):
        return record.user

    def issue_token(self, user, record):
        scope = self.request.payload.scope or record.get_scope()
        return self.generate_token(
            user=user, scope=scope,
            include_refresh_token=self.server.settings.rotate_refresh,
        )

    def revoke_old_credential(self, record):
        if self.server.settings.rotate_refresh:
            record.refresh_rotated_out = True


class TokenFactory:
    """Authlib's token generator hook: opaque Bearer tokens plus an ID token
    when the scope includes `openid`."""

    def __init__(self, settings, issuer):
        self.settings = settings
        self.issuer = issuer

    def __call__(self, grant_type, client, user=None, scope=None, expires_in=None,
                 include_refresh_token=True):
        lifetime = expires_in or self.settings.access_ttl
        token = {
            "access_token": new_secret(),
            "token_type": "Bearer",
            "expires_in": lifetime,
        }
        if scope:
            token["scope"] = scope
        if include_refresh_token:
            token["refresh_token"] = new_secret()
        if scope and "openid" in scope.split():
            token["id_token"] = make_id_token(
                self.issuer, client.get_client_id(), user,
                self.settings.clock(), lifetime,
            )
        return token
