"""The ID token signing key (RS256) and the ID token itself."""

import functools

from joserfc import jwt
from joserfc.jwk import RSAKey

_KID = "devflow-authserver-1"


@functools.lru_cache(maxsize=1)
def signing_key():
    """One RSA key per process: generating it takes ~0.1 s and every server
    in a test run can share it."""
    return RSAKey.generate_key(
        2048, parameters={"kid": _KID, "use": "sig", "alg": "RS256"}
    )


def jwks():
    return {"keys": [signing_key().as_dict(private=False)]}


def make_id_token(issuer, client_id, user, issued_at, lifetime):
    """OpenID Connect Core 1.0 section 2: the claims a client checks."""
    iat = int(issued_at)
    claims = {
        "iss": issuer,
        "aud": client_id,
        "iat": iat,
        "exp": iat + int(lifetime),
        "auth_time": iat,
    }
    claims.update(user.claims())
    return jwt.encode({"alg": "RS256", "kid": _KID}, claims, signing_key())
