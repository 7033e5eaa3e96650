# The token response (RFC 6749 5.1) and the token set we keep.

from devflow.core.authorization import BAD_FIELD, printable, whole_seconds
from devflow.core.errors import ProtocolError

from micropython import const

_DEFAULT_LIFETIME_S = const(300)   # FAULTS 37: absent expires_in, assume short
_MAX_LIFETIME_S = const(259200)    # 3 days: well inside the ticks-safe 6 days
_MAX_TOKEN = const(8192)


class TokenSet:
    # Tokens are secrets: there is no __repr__, the default one shows none.
    # adapters/storage.py saves and restores these attributes by name.
    def __init__(self, access_token, refresh_token=None, id_token=None,
                 lifetime_s=_DEFAULT_LIFETIME_S, scope=None, name=None):
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.id_token = id_token
        self.lifetime_s = lifetime_s
        self.scope = scope
        self.name = name


def parse_token_response(obj):
    # FAULTS 35, 36: no access_token, or a token type other than Bearer, means
    # the token cannot be used. The caller must not poll again with the same
    # device code: the code may already be consumed.
    for key in ("access_token", "refresh_token", "id_token"):
        # Tokens are printable ASCII by RFC 6749 A.12-A.13; anything else
        # would be garbage sent in a header. Only access_token is required.
        value = obj.get(key)
        if (value is not None or key == "access_token") and not printable(value, _MAX_TOKEN):
            raise ProtocolError(BAD_FIELD % key)   # or too large, or not printable
    token_type = obj.get("token_type")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise ProtocolError("'token_type' is not Bearer")
    lifetime = whole_seconds(obj.get("expires_in"))
    if lifetime is None or lifetime <= 0:
        lifetime = _DEFAULT_LIFETIME_S
    scope = obj.get("scope")
    return TokenSet(obj["access_token"], obj.get("refresh_token"), obj.get("id_token"),
                    min(lifetime, _MAX_LIFETIME_S), scope if isinstance(scope, str) else None)
