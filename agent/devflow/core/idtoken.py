# Claims of an ID token, for the name on the "Connected" screen.
#
# OIDC Core 3.1.3.7: "If the ID Token is received via direct communication
# between the Client and the Token Endpoint ... the TLS server validation MAY
# be used to validate the issuer in place of checking the token signature."
# So no signature check here, but iss, aud and exp are checked, and a token
# that fails any check is never used as the signed-in identity (FAULTS 40).

import json

from devflow.core import form
from devflow.core.errors import ProtocolError

MAX_ID_TOKEN = 8192
_CLOCK_SKEW_S = 300


def decode_claims(id_token):
    if not isinstance(id_token, str) or len(id_token) > MAX_ID_TOKEN:
        raise ProtocolError("id_token is not a string of sane size")
    parts = id_token.split(".")
    if len(parts) != 3:
        raise ProtocolError("id_token is not a JWT")
    try:
        claims = json.loads(form.b64url_decode(parts[1]))
    except Exception:
        raise ProtocolError("id_token payload is not base64url JSON")
    if not isinstance(claims, dict):
        raise ProtocolError("id_token payload is not an object")
    return claims


def check_claims(claims, issuer, client_id, wall_s):
    # issuer None: endpoints were configured by hand, there is nothing to
    # compare with. wall_s None: the clock is not set, exp cannot be judged.
    if issuer is not None and claims.get("iss") != issuer:
        raise ProtocolError("id_token 'iss' is not the configured issuer")
    aud = claims.get("aud")
    if not (aud == client_id or (isinstance(aud, list) and client_id in aud)):
        raise ProtocolError("id_token 'aud' is not this client")
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        raise ProtocolError("id_token 'exp' is missing")
    if wall_s is not None and exp + _CLOCK_SKEW_S < wall_s:
        raise ProtocolError("id_token has expired")


def display_name(claims):
    # The friendliest printable claim; never the token itself.
    for key in ("name", "preferred_username", "email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value:
            clean = "".join(ch for ch in value if 0x20 <= ord(ch) <= 0x7E)
            if clean:
                return clean[:40]
    return None


def trusted_name(id_token, issuer, client_id, wall_s):
    # The display name from an ID token that passes the checks above, or
    # raises ProtocolError saying which check failed.
    claims = decode_claims(id_token)
    check_claims(claims, issuer, client_id, wall_s)
    return display_name(claims)
