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
    # Anything between us and the server failed: NetworkError(kind, detail).
    # e.args[0], the kind, is one of "dns", "connect", "tls", "timeout",
    # "reset", "too_large", "bad_response" (and the app's "memory"), so the
    # core can decide without parsing text; e.args[1], when given, says
    # more (a host, never a path or a header). No attributes or __init__ of
    # its own: a class body with them cost ~450 B of heap for good.
    pass
