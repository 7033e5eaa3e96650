# The token response (RFC 6749 5.1), the token set we keep, and the field
# readers that the device code (authorization.py) and the session share.
# They live here, not with the device code, because a paired board keeps
# this module and drops authorization.py.

from micropython import const
from devflow.core.errors import ProtocolError

BAD_FIELD = "'%s' is missing or not valid"
_DEFAULT_LIFETIME_S = const(300)   # FAULTS 37: absent expires_in, assume short
_MAX_LIFETIME_S = const(259200)    # 3 days: well inside the ticks-safe 6 days


def printable(text, limit):
    # Printable ASCII only: no control characters, no escapes, no bidi tricks.
    # Read as bytes: on MicroPython, iterating a str interns each character
    # as a name for good, and the qstr pool grows in 7 KB steps.
    if not isinstance(text, str) or not text or len(text) > limit:
        return False
    for o in text.encode():
        if not 32 <= o <= 126:
            return False
    return True


def whole_seconds(value, round_up=False):
    # Lenient number reading for server fields (FAULTS 6, 7, 12): real
    # servers send 900, "900", 900.7 or nonsense. An int or None; never
    # raises, so the caller decides what "absent" means.
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 12:
            return None
        try:
            value = float(text) if "." in text else int(text)
        except ValueError:
            return None
    if isinstance(value, float):
        if value != value or abs(value) > 1e12:  # NaN, inf (one float constant: an object)
            return None
        whole = int(value)
        if round_up and whole < value:
            whole += 1
        return whole
    if isinstance(value, int):
        # Clamped so no bigint travels further (30-bit small ints on boards).
        return max(-1000000000, min(value, 1000000000))
    return None


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


def parse_token_response(obj, held=None):
    # FAULTS 35, 36: no access_token, or a token type other than Bearer, means
    # the token cannot be used. The caller must not poll again with the same
    # device code: the code may already be consumed. held: for a refresh,
    # the set we hold, updated in place (and returned) once every field has
    # passed, so that no second set is built only to be copied from.
    for key in ("access_token", "refresh_token", "id_token"):
        # Tokens are printable ASCII by RFC 6749 A.12-A.13; anything else
        # would be garbage sent in a header. Only access_token is required.
        # 8 KB at most.
        value = obj.get(key)
        if (value is not None or key == "access_token") and not printable(value, 8192):
            raise ProtocolError(BAD_FIELD % key)   # or too large, or not printable
    token_type = obj.get("token_type")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise ProtocolError(BAD_FIELD % "token_type")   # not Bearer
    lifetime = whole_seconds(obj.get("expires_in"))
    if lifetime is None or lifetime <= 0:
        lifetime = _DEFAULT_LIFETIME_S
    lifetime = min(lifetime, _MAX_LIFETIME_S)
    scope = obj.get("scope")
    if not isinstance(scope, str):
        scope = None
    if held is None:
        return TokenSet(obj["access_token"], obj.get("refresh_token"), obj.get("id_token"),
                        lifetime, scope)
    # A refresh (RFC 6749 6). The ID token and the name stay those checked
    # at pairing: a refreshed ID token (OIDC Core 12.2) is not read, so
    # never trusted nor kept (FAULTS 40).
    held.access_token = obj["access_token"]
    held.refresh_token = obj.get("refresh_token") or held.refresh_token   # FAULTS 44
    if scope and scope != held.scope:   # absent: as before (RFC 6749 5.1)
        # The same scope again keeps the old str: this turn's copy is
        # garbage with the rest of the answer, not a new str among it.
        held.scope = scope
    held.lifetime_s = lifetime
    return held
