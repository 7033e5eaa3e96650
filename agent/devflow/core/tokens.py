# The token response (RFC 6749 5.1) and the token set we keep.

from devflow.core.authorization import printable
from devflow.core.errors import ProtocolError
from devflow.core.numbers import whole_seconds

DEFAULT_ACCESS_LIFETIME_S = 300   # FAULTS 37: absent expires_in, assume short
MAX_ACCESS_LIFETIME_S = 86400 * 3  # well inside the ticks-safe 6 days
MAX_TOKEN = 8192


class TokenSet:
    # Tokens are secrets: __repr__ shows only which ones we hold.
    def __init__(self, access_token, refresh_token=None, id_token=None,
                 lifetime_s=DEFAULT_ACCESS_LIFETIME_S, scope=None, name=None):
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.id_token = id_token
        self.lifetime_s = lifetime_s
        self.scope = scope
        self.name = name

    def __repr__(self):
        return "<TokenSet access%s%s>" % (
            "+refresh" if self.refresh_token else "", "+id" if self.id_token else "")


def _token(obj, key, required):
    value = obj.get(key)
    if value is None and not required:
        return None
    # Tokens are printable ASCII by RFC 6749 A.12-A.13; anything else would
    # be garbage sent in a header.
    if not printable(value, MAX_TOKEN):
        raise ProtocolError("'%s' is missing, too large or not printable" % key)
    return value


def parse_token_response(obj):
    # FAULTS 35, 36: no access_token, or a token type other than Bearer, means
    # the token cannot be used. The caller must not poll again with the same
    # device code: the code may already be consumed.
    access = _token(obj, "access_token", True)
    token_type = obj.get("token_type")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise ProtocolError("'token_type' is not Bearer")
    lifetime = whole_seconds(obj.get("expires_in"))
    if lifetime is None or lifetime <= 0:
        lifetime = DEFAULT_ACCESS_LIFETIME_S
    if lifetime > MAX_ACCESS_LIFETIME_S:
        lifetime = MAX_ACCESS_LIFETIME_S
    scope = obj.get("scope")
    return TokenSet(access, _token(obj, "refresh_token", False),
                    _token(obj, "id_token", False), lifetime,
                    scope if isinstance(scope, str) else None)
