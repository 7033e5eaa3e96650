# The device configuration: one JSON object, keys named as in OAuth metadata
# (RFC 8414). This file holds what stays in the heap while the agent runs:
# the settings (Config), the URL rule and discovery. The checks of
# devflow.json, with their messages, are configcheck.py's: needed at boot
# only, they leave the heap once the config is read (app.make_app drops
# them).

from micropython import const

from devflow.core import errors

# The endpoints a discovery document may fill in; the first two are the
# ones the device flow needs.
_ENDPOINTS = const(("device_authorization_endpoint", "token_endpoint",
                    "userinfo_endpoint", "revocation_endpoint"))


def url_host(url):
    # "https://host:port/path" -> "host", lower case; None unless it is an
    # https URL (or plain http to this machine: tests, the demo). Indices
    # into the URL, one slice: this runs for every endpoint a server sends.
    sep = url.find("://")
    start = sep + 3
    # The host ends at the first "/", "?" or "#" (three finds: a tuple of
    # them would be a constant kept for good).
    end = len(url)
    i = url.find("/", start)
    if i >= 0:
        end = i
    i = url.find("?", start, end)
    if i >= 0:
        end = i
    i = url.find("#", start, end)
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


class Config:
    # The settings: a plain attribute for each key the agent reads, set by
    # configcheck.parse_config (absent optional keys are None).
    def needs_discovery(self):
        return self.device_authorization_endpoint is None or self.token_endpoint is None


def parse_config(values):
    # values: the decoded JSON. Returns a Config or raises errors.ConfigError.
    from devflow.core import configcheck
    return configcheck.parse_config(values)


def apply_discovery(config, metadata):
    # Fill endpoints from an RFC 8414 / OIDC discovery document. The issuer in
    # the document must be the configured one (RFC 8414 section 3.3).
    # metadata is a dict: the flow passes only a body read as a JSON object.
    if metadata.get("issuer") != config.issuer:
        raise errors.ConfigError("discovery document 'issuer' differs from the config")
    for key in _ENDPOINTS:
        value = metadata.get(key)
        if getattr(config, key) is None and value is not None:
            if not isinstance(value, str) or url_host(value) is None:
                raise errors.ConfigError("discovery document '%s' is not an https URL" % key)
            setattr(config, key, value)
    for key in _ENDPOINTS[:2]:   # the two the device flow needs
        if getattr(config, key) is None:
            raise errors.ConfigError("the issuer has no '%s'" % key)
