# The device configuration: one JSON object, keys named as in OAuth metadata
# (RFC 8414), checked once at start so that a wrong or missing key gets one
# clear message naming it. Messages never repeat a value (it may be a secret).

from micropython import const
from devflow.core.errors import ConfigError

# Every key, in the order they are checked, and one letter a key saying what
# its value must be (the index into _MUST): u an https URL, s a non-empty
# string, l a list of strings, d an object, i a positive whole number. Only
# client_id is required.
_KEYS = const(("issuer", "device_authorization_endpoint", "token_endpoint",
               "userinfo_endpoint", "revocation_endpoint", "client_id", "client_secret",
               "token_endpoint_auth_method", "scope", "ca_certs",
               "verification_uri_hosts", "wifi", "board", "max_code_lifetime"))
_KINDS = const("uuuuusssssldsi")
_MUST = const(("an https URL (http only for loopback)", "a non-empty string",
               "a list of strings", "an object", "a positive integer"))


def url_host(url):
    # "https://host:port/path" -> "host", lower case; None unless it is an
    # https URL (or plain http to this machine: tests, the demo). Indices
    # into the URL, one slice: this runs for every endpoint a server sends.
    sep = url.find("://")
    start = sep + 3
    end = len(url)
    for ch in ("/", "?", "#"):
        i = url.find(ch, start, end)
        if i >= 0:
            end = i
    if sep <= 0 or url.find("@", start, end) >= 0:
        return None
    if url.startswith("[", start):
        close = url.find("]", start, end) + 1
        if not close:
            return None
    else:
        close = url.find(":", start, end)
        if close < 0:
            close = end
    host = url[start:close].lower()
    scheme = url[:sep].lower()
    if not host or scheme != "https" and not (scheme == "http" and (
            host == "localhost" or host == "[::1]" or host.startswith("127."))):
        return None
    return host


def _bad(key, why):
    return ConfigError("config key '%s' %s" % (key, why))


def _check(key, kind, value):
    if kind == "u":
        ok = isinstance(value, str) and url_host(value) is not None
    elif kind == "s":
        ok = isinstance(value, str) and value != ""
    elif kind == "l":
        ok = isinstance(value, list)
        for v in value if ok else ():
            ok = ok and isinstance(v, str)
    elif kind == "d":
        ok = isinstance(value, dict)
    else:
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    if not ok:
        raise _bad(key, "must be " + _MUST["usldi".find(kind)])


class Config:
    # Plain attributes, one per key; absent optional keys are None.
    def __init__(self, values):
        for key in _KEYS:
            setattr(self, key, values.get(key))
        if self.token_endpoint_auth_method is None:
            self.token_endpoint_auth_method = (
                "client_secret_basic" if self.client_secret else "none")
        if self.max_code_lifetime is None:
            self.max_code_lifetime = 3600

    def needs_discovery(self):
        return self.device_authorization_endpoint is None or self.token_endpoint is None


def parse_config(values):
    # values: the decoded JSON. Returns a Config or raises ConfigError.
    if not isinstance(values, dict):
        raise ConfigError("config must be a JSON object")
    for key in values:
        if key not in _KEYS and not key.startswith("_"):
            raise _bad(key, "is not known (a typo?)")
    for i in range(len(_KEYS)):
        key = _KEYS[i]
        if values.get(key) is not None:
            _check(key, _KINDS[i], values[key])
        elif key == "client_id":
            raise _bad(key, "is missing")
    config = Config(values)
    if config.issuer is None and config.needs_discovery():
        raise ConfigError("config needs 'issuer' or both '%s' and '%s'" % _KEYS[1:3])
    method = config.token_endpoint_auth_method
    methods = ("none", "client_secret_basic", "client_secret_post")
    if method not in methods:
        raise _bad("token_endpoint_auth_method", "must be one of " + ", ".join(methods))
    if method != "none" and config.client_secret is None:
        raise _bad("client_secret", "is missing (needed by %s)" % method)
    return config


def apply_discovery(config, metadata):
    # Fill endpoints from an RFC 8414 / OIDC discovery document. The issuer in
    # the document must be the configured one (RFC 8414 section 3.3).
    # metadata is a dict: the flow passes only a body read as a JSON object.
    if metadata.get("issuer") != config.issuer:
        raise ConfigError("discovery document 'issuer' differs from the config")
    for key in _KEYS[1:5]:   # the endpoints
        value = metadata.get(key)
        if getattr(config, key) is None and value is not None:
            _check(key, "u", value)
            setattr(config, key, value)
    for key in _KEYS[1:3]:   # the two the device flow needs
        if getattr(config, key) is None:
            raise ConfigError("the issuer has no '%s'" % key)

