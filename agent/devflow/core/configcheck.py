# Checks devflow.json once, at boot, so that a wrong or missing key gets one
# clear message naming it, and makes the Config. Messages never repeat a
# value (it may be a secret). Only config.parse_config loads this file, and
# app.make_app drops it again (app.forget): its rules and messages are
# boot-time only.

from micropython import const
from devflow.core.config import Config, url_host
from devflow.core.errors import ConfigError

# Every key, in the order they are checked; only client_id is required.
_KEYS = const(("issuer", "device_authorization_endpoint", "token_endpoint",
               "userinfo_endpoint", "revocation_endpoint", "client_id", "client_secret",
               "token_endpoint_auth_method", "scope", "ca_certs",
               "verification_uri_hosts", "max_code_lifetime", "wifi", "board"))
# The keys a Config has: wifi.py reads "wifi" from the JSON itself, at boot,
# and "board" is for the host's tools; neither is kept in the heap.
_KEPT = const(12)
# One byte a key of _KEYS, in its order, saying what its value must be (the
# index into _MUST): 0 an https URL, 1 a non-empty string, 2 a list of
# strings, 3 an object, 4 a positive whole number.
_KINDS = const(b"\0\0\0\0\0\1\1\1\1\1\2\4\3\1")
_MUST = const(("an https URL (http only for loopback)", "a non-empty string",
               "a list of strings", "an object", "a positive integer"))


def _bad(key, why):
    return ConfigError("config key '%s' %s" % (key, why))


def parse_config(values):
    if not isinstance(values, dict):
        raise ConfigError("config must be a JSON object")
    for key in values:
        if key not in _KEYS and not key.startswith("_"):
            raise _bad(key, "is not known (a typo?)")
    config = Config()
    for i in range(len(_KEYS)):
        key = _KEYS[i]
        value = values.get(key)
        if i < _KEPT:
            setattr(config, key, value)
        if value is None:
            if key == "client_id":
                raise _bad(key, "is missing")
            continue
        kind = _KINDS[i]
        if kind == 0:
            ok = isinstance(value, str) and url_host(value) is not None
        elif kind == 1:
            ok = isinstance(value, str) and value != ""
        elif kind == 2:
            ok = isinstance(value, list)
            for v in value if ok else ():
                ok = ok and isinstance(v, str)
        elif kind == 3:
            ok = isinstance(value, dict)
        else:
            ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
        if not ok:
            raise _bad(key, "must be " + _MUST[kind])
    if config.max_code_lifetime is None:
        config.max_code_lifetime = 3600
    if config.issuer is None and config.needs_discovery():
        raise ConfigError("config needs 'issuer' or both '%s' and '%s'" % _KEYS[1:3])
    method = config.token_endpoint_auth_method
    if method is None:
        method = config.token_endpoint_auth_method = (
            "client_secret_basic" if config.client_secret else "none")
    methods = ("none", "client_secret_basic", "client_secret_post")
    if method not in methods:
        raise _bad("token_endpoint_auth_method", "must be one of " + ", ".join(methods))
    if method != "none" and config.client_secret is None:
        raise _bad("client_secret", "is missing (needed by %s)" % method)
    return config
