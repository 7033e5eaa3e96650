"""ServerSettings: every knob of the local authorization server, in one place.

The defaults are what `python -m host_tools.authserver` runs with. Tests
build their own `ServerSettings(...)`; `validate()` is called by AuthServer
so a bad value fails at construction, with a message that says what to use.
"""

from dataclasses import dataclass, field, replace
import time
from typing import Callable, Optional

CHARSETS = {
    "digits": "0123456789",
    # RFC 8628 section 6.1: Base20 avoids vowels (no accidental words) and
    # look-alike characters; the seed document (Cloudentity) uses the same set.
    "base20": "BCDFGHJKLMNPQRSTVWXZ",
}
CLIENT_AUTH_METHODS = ("none", "client_secret_basic", "client_secret_post")
MIN_CODE_LENGTH = 6
MAX_CODE_LENGTH = 12
# RFC 8628 section 3.2: "If no value is provided, clients MUST use 5 as the default."
DEFAULT_INTERVAL = 5


class SettingsError(ValueError):
    """A setting has a value the server cannot run with."""


@dataclass
class ServerSettings:
    # Listening socket and public address.
    host: str = "127.0.0.1"
    port: int = 0
    issuer_url: Optional[str] = None  # default: derived from host, port, tls

    # Device flow (RFC 8628).
    interval: int = DEFAULT_INTERVAL
    ttl: int = 600
    charset: str = "base20"
    code_length: int = 8
    complete_uri: bool = True  # send verification_uri_complete
    include_interval: bool = True  # send interval (if not: 5 s is enforced)
    enforce_slow_down: bool = True
    slow_down_sends_interval: bool = False  # GitHub style: slow_down carries interval

    # Tokens.
    access_ttl: int = 3600
    rotate_refresh: bool = False
    default_scope: str = "openid profile"
    scopes_supported: Optional[tuple] = None  # None: accept any scope

    # The one registered demo client.
    client_id: str = "devflow-demo"
    client_secret: str = "devflow-demo-secret"
    token_endpoint_auth_method: str = "none"
    client_name: str = "devflow demo device"

    # TLS (trustme). cert_hostname replaces the usual localhost/127.0.0.1
    # names; cert_untrusted_ca signs the server cert with a CA other than
    # the one written to certs_dir. Both exist so tests can check refusal.
    tls: bool = False
    certs_dir: Optional[str] = None
    cert_hostname: Optional[str] = None
    cert_untrusted_ca: bool = False

    # Wall clock in seconds since the epoch; tests pass a FakeClock.
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def validate(self):
        if self.charset not in CHARSETS:
            raise SettingsError(f"charset must be one of {sorted(CHARSETS)}, not {self.charset!r}")
        if not MIN_CODE_LENGTH <= self.code_length <= MAX_CODE_LENGTH:
            raise SettingsError(
                f"code_length must be {MIN_CODE_LENGTH}..{MAX_CODE_LENGTH}, not {self.code_length}"
            )
        if self.token_endpoint_auth_method not in CLIENT_AUTH_METHODS:
            raise SettingsError(
                f"token_endpoint_auth_method must be one of {CLIENT_AUTH_METHODS}"
            )
        for name in ("interval", "ttl", "access_ttl"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be a positive number of seconds")
        if not 0 <= self.port <= 65535:
            raise SettingsError(f"port must be 0..65535, not {self.port}")
        return self

    @property
    def enforced_interval(self):
        """The interval the server holds a new device code to.

        Without an `interval` in the response the client must use 5 s, so
        that is what the server enforces then.
        """
        return self.interval if self.include_interval else DEFAULT_INTERVAL

    def with_changes(self, **changes):
        return replace(self, **changes)
