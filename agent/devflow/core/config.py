# The device configuration: one JSON object, keys named as in OAuth metadata
# (RFC 8414), checked once at start so that a wrong or missing key gets one
# clear message naming it. Messages never repeat a value (it may be a secret).

from devflow.core.errors import ConfigError

AUTH_METHODS = ("none", "client_secret_basic", "client_secret_post")

# key: (type name, required)
_KEYS = {
    "issuer": ("url", False),
    "device_authorization_endpoint": ("url", False),
    "token_endpoint": ("url", False),
    "userinfo_endpoint": ("url", False),
    "revocation_endpoint": ("url", False),
    "client_id": ("str", True),
    "client_secret": ("str", False),
    "token_endpoint_auth_method": ("str", False),
    "scope": ("str", False),
    "ca_certs": ("str", False),
    "verification_uri_hosts": ("list", False),
    "wifi": ("dict", False),
    "board": ("str", False),
    "max_code_lifetime": ("int", False),
}


def _is_loopback_host(host):
    return host == "localhost" or host.startswith("127.") or host == "[::1]"


def url_host(url):
    # "https://host:port/path" -> ("https", "host"); None when not a URL.
    sep = url.find("://")
    if sep <= 0:
        return None
    scheme = url[:sep].lower()
    rest = url[sep + 3:]
    end = len(rest)
    for ch in "/?#":
        i = rest.find(ch)
        if 0 <= i < end:
            end = i
    hostport = rest[:end]
    if "@" in hostport or not hostport:
        return None
    if hostport.startswith("["):
        close = hostport.find("]")
        host = hostport[:close + 1] if close > 0 else ""
    else:
        host = hostport.split(":")[0]
    if not host:
        return None
    return scheme, host.lower()


def is_secure_url(url):
    # https anywhere; plain http only to this machine (tests, the demo).
    parsed = url_host(url)
    if parsed is None:
        return False
    scheme, host = parsed
    return scheme == "https" or (scheme == "http" and _is_loopback_host(host))


def _check_type(key, kind, value):
    if kind == "url":
        if not isinstance(value, str) or not is_secure_url(value):
            raise ConfigError("config key '%s' must be an https URL (http only for loopback)" % key)
    elif kind == "str":
        if not isinstance(value, str) or not value:
            raise ConfigError("config key '%s' must be a non-empty string" % key)
    elif kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("config key '%s' must be a list of strings" % key)
    elif kind == "dict":
        if not isinstance(value, dict):
            raise ConfigError("config key '%s' must be an object" % key)
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError("config key '%s' must be a positive whole number" % key)


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
            raise ConfigError("config key '%s' is not known (a typo?)" % key)
    for key in _KEYS:
        kind, required = _KEYS[key]
        if key in values and values[key] is not None:
            _check_type(key, kind, values[key])
        elif required:
            raise ConfigError("config key '%s' is missing" % key)
    if not values.get("issuer") and not (
            values.get("device_authorization_endpoint") and values.get("token_endpoint")):
        raise ConfigError("config needs 'issuer' (for discovery) or both "
                          "'device_authorization_endpoint' and 'token_endpoint'")
    method = values.get("token_endpoint_auth_method")
    if method is not None and method not in AUTH_METHODS:
        raise ConfigError("config key 'token_endpoint_auth_method' must be one of "
                          + ", ".join(AUTH_METHODS))
    if method in ("client_secret_basic", "client_secret_post") and not values.get("client_secret"):
        raise ConfigError("config key 'client_secret' is missing (needed by %s)" % method)
    return Config(values)


def apply_discovery(config, metadata):
    # Fill endpoints from an RFC 8414 / OIDC discovery document. The issuer in
    # the document must be the configured one (RFC 8414 section 3.3).
    if not isinstance(metadata, dict):
        raise ConfigError("discovery document is not a JSON object")
    if metadata.get("issuer") != config.issuer:
        raise ConfigError("discovery document 'issuer' does not match the configured issuer")
    for key in ("device_authorization_endpoint", "token_endpoint",
                "userinfo_endpoint", "revocation_endpoint"):
        if getattr(config, key) is None and metadata.get(key) is not None:
            _check_type(key, "url", metadata[key])
            setattr(config, key, metadata[key])
    if config.device_authorization_endpoint is None:
        raise ConfigError("the issuer has no 'device_authorization_endpoint' (device flow not enabled?)")
    if config.token_endpoint is None:
        raise ConfigError("the issuer has no 'token_endpoint'")


def discovery_url(issuer):
    return issuer.rstrip("/") + "/.well-known/openid-configuration"
