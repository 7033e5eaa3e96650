# Building the requests of the device flow (RFC 8628 3.1, 3.4; RFC 6749 6).
#
# Client authentication (RFC 6749 2.3.1) is the same on every endpoint:
#   none                 client_id in the body
#   client_secret_basic  HTTP Basic header; client_id not repeated in the body
#   client_secret_post   client_id and client_secret in the body
# The secret never appears in a URL (the Adafruit library put it there).
#
# Caps on what we read back (FAULTS 18): 20 KB for a token response is
# enough for an 8 KB access token and a 6 KB ID token together.

from micropython import const
from binascii import b2a_base64

from devflow.core import wire

_UNRESERVED = const(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_HEX = const(b"0123456789ABCDEF")


def quote(text):
    # For the form bodies built here (MicroPython has no urllib).
    # Percent-encode everything but the RFC 3986 unreserved set; space as %20
    # is accepted everywhere (RFC 6749 appendix B allows "+" too). One
    # buffer, sized first: a per-character list cost kilobytes per request.
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    extra = 0
    for b in data:
        if b not in _UNRESERVED:
            extra += 2
    if not extra:
        return data.decode()
    out = bytearray(len(data) + extra)
    i = 0
    for b in data:
        if b in _UNRESERVED:
            out[i] = b
            i += 1
        else:
            out[i] = 0x25  # %
            out[i + 1] = _HEX[b >> 4]
            out[i + 2] = _HEX[b & 15]
            i += 3
    return out.decode()


def _post(config, url, pairs, purpose, max_body):
    # The body is application/x-www-form-urlencoded; a value None is left out.
    headers = [("Accept", "application/json"),
               ("Content-Type", "application/x-www-form-urlencoded")]
    method = config.token_endpoint_auth_method
    if method == "client_secret_basic":
        # RFC 6749 2.3.1: the id and secret are form-encoded before being joined.
        raw = (quote(config.client_id) + ":" + quote(config.client_secret)).encode()
        headers.append(("Authorization", "Basic " + b2a_base64(raw).decode().strip()))
    else:
        pairs.append(("client_id", config.client_id))
        if method == "client_secret_post":
            pairs.append(("client_secret", config.client_secret))
    body = "&".join(quote(k) + "=" + quote(v) for k, v in pairs if v is not None)
    return wire.Request("POST", url, headers, body.encode(), purpose, max_body)


def device_authorization(config):
    # RFC 8628 3.1: "client_id REQUIRED if the client is not authenticating
    # with the authorization server"; "scope OPTIONAL".
    return _post(config, config.device_authorization_endpoint,
                 [("scope", config.scope)], "device_authorization", 8192)


def token_poll(config, device_code):
    # RFC 8628 3.4: grant_type, device_code, client_id.
    return _post(config, config.token_endpoint,
                 [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                  ("device_code", device_code)], "token", 20480)


def refresh(config, refresh_token):
    # RFC 6749 6.
    return _post(config, config.token_endpoint,
                 [("grant_type", "refresh_token"), ("refresh_token", refresh_token)],
                 "refresh", 20480)


def revoke(config, token, hint):
    # RFC 7009 2.1.
    return _post(config, config.revocation_endpoint,
                 [("token", token), ("token_type_hint", hint)], "revoke", 1024)


def api_get(url, access_token=None):
    # RFC 6750 2.1: the token goes in the Authorization header, never the
    # URL. Without a token it is the discovery document's GET (RFC 8414 3).
    headers = [("Accept", "application/json")]
    if access_token is None:
        return wire.Request("GET", url, headers, None, "discovery", 16384)
    headers.append(("Authorization", "Bearer " + access_token))
    return wire.Request("GET", url, headers, None, "api", 8192)
