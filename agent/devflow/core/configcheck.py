# Checks devflow.json once, at boot, so that a wrong or missing key gets one
# clear message naming it. Messages never repeat a value (it may be a
# secret). Only config.parse_config loads this file, and app.make_app drops
# it again (app.forget): its rules and messages are boot-time only.

from micropython import const
from devflow.core.config import KEYS, Config, url_host
from devflow.core.errors import ConfigError

# One byte a key of config.KEYS, in its order, saying what its value must
# be (the index into _MUST): 0 an https URL, 1 a non-empty string, 2 a list
# of strings, 3 an object, 4 a positive whole number.
_KINDS = const(b"\0\0\0\0\0\1\1\1\1\1\2\3\1\4")
_MUST = const(("an https URL (http only for loopback)", "a non-empty string",
               "a list of strings", "an object", "a positive integer"))


def _bad(key, why):
    return ConfigError("config key '%s' %s" % (key, why))


def parse_config(values):
    if not isinstance(values, dict):
        raise ConfigError("config must be a JSON object")
    for key in values:
        if key not in KEYS and not key.startswith("_"):
            raise _bad(key, "is not known (a typo?)")
    for i in range(len(KEYS)):
        key = KEYS[i]
        value = values.get(key)
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
    config = Config(values)
    if config.issuer is None and config.needs_discovery():
        raise ConfigError("config needs 'issuer' or both '%s' and '%s'" % KEYS[1:3])
    method = config.token_endpoint_auth_method
    methods = ("none", "client_secret_basic", "client_secret_post")
    if method not in methods:
        raise _bad("token_endpoint_auth_method", "must be one of " + ", ".join(methods))
    if method != "none" and config.client_secret is None:
        raise _bad("client_secret", "is missing (needed by %s)" % method)
    return config
