# Claims of an ID token, for the name on the "Connected" screen. Read once,
# when pairing ends, in a turn of its own (check): the next turn, once the
# owner has dropped this module and the decoded claims are garbage, loads
# the session and saves the tokens. A refreshed ID token is not read
# (tokens.parse_token_response).
#
# OIDC Core 3.1.3.7: "If the ID Token is received via direct communication
# between the Client and the Token Endpoint ... the TLS server validation MAY
# be used to validate the issuer in place of checking the token signature."
# So no signature check here, but iss, aud and exp are checked, and a token
# that fails any check is never used as the signed-in identity (FAULTS 40).

from micropython import const
import binascii
import json

from devflow.core.errors import ProtocolError
from devflow.core.session import display_name

# Not three dot-separated parts, or a payload that is not a base64url JSON
# object: to the caller all the same.
_NOT_JWT = const("id_token is not a JWT")


def _payload(id_token):
    # The claims of a JWT header.payload.signature, a printable str of 8 KB
    # at most (tokens.py checked it). The payload is base64url without
    # padding (RFC 7515 2): only it is copied out of the token, translated
    # to base64 where it needs it (a replace without a match is no copy), and
    # padded.
    start = id_token.find(".") + 1
    end = id_token.find(".", start)
    if start and end > 0 and id_token.find(".", end + 1) < 0:
        try:
            claims = json.loads(binascii.a2b_base64(
                id_token[start:end].replace("-", "+").replace("_", "/")
                + "=" * ((start - end) % 4)))
            if isinstance(claims, dict):
                return claims
        except Exception:
            pass
    raise ProtocolError(_NOT_JWT)


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


def check(flow):
    # approved, first turn: the name from the ID token of flow._tokens, if
    # any and it passes. flow._wall_s (the wall clock when the tokens came)
    # becomes False: checked, session.begin is next. The name is all the
    # agent keeps of the token: nothing sends it anywhere (no logout with
    # id_token_hint), so the JWT, the longest string of a pairing, leaves
    # the heap here and never goes to flash.
    tokens = flow._tokens
    if tokens.id_token is not None:
        config = flow.config
        try:
            tokens.name = trusted_name(tokens.id_token, config.issuer, config.client_id, flow._wall_s)
        except ProtocolError as e:
            flow._log("error", {"reason": "id_token", "message": str(e)})
        tokens.id_token = None
    flow._wall_s = False
