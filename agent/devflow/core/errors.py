# The few named errors of devflow, shared by core and adapters.
#
# Like h11 there are two families: the caller misused us (ConfigError), or a
# peer broke the protocol (ProtocolError). Transport trouble is NetworkError.
# Messages never carry a secret: callers pass only names and public values.


class ConfigError(Exception):
    # A wrong or missing setting. The message names the key.
    pass


class ProtocolError(Exception):
    # The server answered something the RFCs do not allow.
    pass


class NetworkError(Exception):
    # Anything between us and the server failed: DNS, connect, TLS, a reset,
    # a timeout, a body over its cap. `kind` is one of the names below so the
    # core can decide without parsing text.
    DNS = "dns"
    CONNECT = "connect"
    TLS = "tls"
    TIMEOUT = "timeout"
    RESET = "reset"
    TOO_LARGE = "too_large"
    BAD_RESPONSE = "bad_response"

    def __init__(self, kind, detail=""):
        super().__init__(kind + ": " + detail if detail else kind)
        self.kind = kind
        self.detail = detail
