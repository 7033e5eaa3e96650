# Claims of an ID token, for the name on the "Connected" screen.
#
# OIDC Core 3.1.3.7: "If the ID Token is received via direct communication
# between the Client and the Token Endpoint ... the TLS server validation MAY
# be used to validate the issuer in place of checking the token signature."
# So no signature check here, but iss, aud and exp are checked, and a token
# that fails any check is never used as the signed-in identity (FAULTS 40).

from micropython import const
import binascii
import json

from devflow.core.authorization import printable
from devflow.core.errors import ProtocolError

# Too large, not three dot-separated parts, or a payload that is not
# base64url JSON object: to the caller all the same.
_NOT_JWT = const("id_token is not a JWT")


def _payload(id_token):
    # The claims of a JWT header.payload.signature. The payload is base64url
    # without padding (RFC 7515 2): it is translated to base64 into one
    # padded buffer, read straight from the token, which is never split.
    raw = id_token.encode() if isinstance(id_token, str) and len(id_token) <= 8192 else b""
    start = raw.find(b".") + 1
    end = raw.find(b".", start)
    if start == 0 or end < 0 or raw.find(b".", end + 1) >= 0:
        raise ProtocolError(_NOT_JWT)
    n = end - start
    buf = bytearray(n + (-n % 4))
    try:
        for i in range(len(buf)):
            b = raw[start + i] if i < n else 0x3D   # =
            if b > 0x7E:
                raise ValueError
            buf[i] = 0x2B if b == 0x2D else 0x2F if b == 0x5F else b   # - to +, _ to /
        claims = json.loads(binascii.a2b_base64(buf))
        if isinstance(claims, dict):
            return claims
    except Exception:
        pass
    raise ProtocolError(_NOT_JWT)


def display_name(claims):
    # The friendliest printable claim; never the token itself. The usual
    # short ASCII name is returned as it is, without a copy.
    for key in ("name", "preferred_username", "email", "sub"):
        value = claims.get(key)
        if printable(value, 40):
            return value
        if isinstance(value, str):
            value = "".join(ch for ch in value if 0x20 <= ord(ch) <= 0x7E)
            if value:
                return value[:40]
    return None


def trusted_name(id_token, issuer, client_id, wall_s):
    # The display name from an ID token that passes the checks, or raises
    # ProtocolError saying which check failed. issuer None: endpoints were
    # configured by hand, there is nothing to compare with. wall_s None: the
    # clock is not set, exp cannot be judged.
    claims = _payload(id_token)
    aud = claims.get("aud")
    exp = claims.get("exp")
    if issuer is not None and claims.get("iss") != issuer:
        bad = "iss"
    elif not (aud == client_id or (isinstance(aud, list) and client_id in aud)):
        bad = "aud"
    elif isinstance(exp, bool) or not isinstance(exp, (int, float)):
        bad = "exp"
    elif wall_s is not None and exp + 300 < wall_s:   # 5 minutes of clock skew
        raise ProtocolError("id_token has expired")
    else:
        return display_name(claims)
    raise ProtocolError("id_token '%s' is wrong or missing" % bad)
