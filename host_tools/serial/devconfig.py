"""The device config, /devflow.json: build it, check it, show it without secrets.

Keys (shared with the agent): wifi {ssid, password}; issuer and/or
device_authorization_endpoint + token_endpoint; client_id; client_secret
(optional); token_endpoint_auth_method (none | client_secret_basic |
client_secret_post); scope; ca_certs (PEM text); optional
userinfo_endpoint, revocation_endpoint.
"""

import ssl

from .discovery import check_url
from .errors import ToolError

AUTH_METHODS = ("none", "client_secret_basic", "client_secret_post")
SECRET_KEYS = ("client_secret",)
_ENDPOINTS = ("device_authorization_endpoint", "token_endpoint", "userinfo_endpoint", "revocation_endpoint")
_MAX_BYTES = 48 * 1024  # the board reads it whole into a heap of ~56 KB


def problems(config):
    """Everything wrong with `config`, as sentences; [] when it is good."""
    found = []
    wifi = config.get("wifi")
    if not isinstance(wifi, dict) or not wifi.get("ssid"):
        found.append("wifi.ssid is missing")
    else:
        if len(wifi["ssid"].encode()) > 32:
            found.append("wifi.ssid is longer than 32 bytes")
        password = wifi.get("password") or ""
        if password and not (8 <= len(password) <= 63 or _is_hex64(password)):
            found.append("wifi.password must be 8 to 63 characters (WPA2), 64 hex digits, or empty for an open network")
    if not config.get("client_id"):
        found.append("client_id is missing")
    for key in ("device_authorization_endpoint", "token_endpoint"):
        if not config.get(key):
            found.append(f"{key} is missing (give --issuer, or both endpoints)")
    for key in ("issuer",) + _ENDPOINTS:
        if config.get(key):
            try:
                check_url(key, config[key])
            except ToolError as e:
                found.append(str(e))
    method = config.get("token_endpoint_auth_method", "none")
    if method not in AUTH_METHODS:
        found.append(f"token_endpoint_auth_method must be one of {', '.join(AUTH_METHODS)}")
    elif method != "none" and not config.get("client_secret"):
        found.append(f"token_endpoint_auth_method {method} needs a client secret")
    elif method == "none" and config.get("client_secret"):
        found.append("a client secret is given but token_endpoint_auth_method is none")
    found += _ca_problems(config)
    if len(encode(config)) > _MAX_BYTES:
        found.append(f"the config is larger than {_MAX_BYTES // 1024} KB: trim the CA bundle")
    return found


def _ca_problems(config):
    pem = config.get("ca_certs")
    https = any(str(config.get(k, "")).startswith("https:") for k in ("issuer",) + _ENDPOINTS)
    if not pem:
        return ["ca_certs is missing: give --ca-file with the server's CA (PEM)"] if https else []
    if "-----BEGIN CERTIFICATE-----" not in pem:
        return ["ca_certs has no PEM certificate"]
    try:
        ssl.create_default_context(cadata=pem)
    except ssl.SSLError as e:
        return [f"ca_certs is not valid PEM: {e}"]
    return []


def _is_hex64(text):
    return len(text) == 64 and all(c in "0123456789abcdefABCDEF" for c in text)


def check(config):
    found = problems(config)
    if found:
        raise ToolError("the config is not valid, nothing was written: " + "; ".join(found))


def encode(config):
    import json

    return json.dumps(config, indent=1, sort_keys=True).encode()


def redacted(config):
    """A copy safe to print: secrets as ***, the CA bundle as a count."""
    shown = dict(config)
    for key in SECRET_KEYS:
        if shown.get(key):
            shown[key] = "***"
    if isinstance(shown.get("wifi"), dict):
        shown["wifi"] = dict(shown["wifi"])
        if shown["wifi"].get("password"):
            shown["wifi"]["password"] = "***"
    if shown.get("ca_certs"):
        shown["ca_certs"] = "%d certificate(s)" % shown["ca_certs"].count("BEGIN CERTIFICATE")
    return shown
