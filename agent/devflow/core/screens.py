# What the person sees, as data (a view-model). The display adapter draws
# it; tests compare it. Nothing here holds a secret: the user code and the
# verification URIs are meant to be shown (RFC 8628 3.3).

STARTING = "starting"
PAIRING = "pairing"
CONNECTED = "connected"
DENIED = "denied"
EXPIRED = "expired"
NEEDS_AUTH = "needs_auth"
NETWORK = "network"
CONFIG_ERROR = "config_error"
ERROR = "error"

PRESS_FOR_CODE = "Press the button for a new code"

# What each NetworkError kind means to a person.
_NETWORK_TEXT = {
    "dns": "Cannot find the server",
    "connect": "Server unreachable",
    "tls": "Server certificate refused",
    "timeout": "Server not answering",
    "reset": "Connection dropped",
    "too_large": "Answer too large",
    "bad_response": "Garbled answer",
    "memory": "Out of memory",
    "no_link": "No Wi-Fi",
}


def network_text(kind):
    return _NETWORK_TEXT.get(kind, "Network trouble")


class Screen:
    def __init__(self, kind, title, lines=(), user_code=None, uri=None,
                 uri_complete=None, deadline=None, status=None):
        self.kind = kind
        self.title = title
        self.lines = tuple(lines)
        self.user_code = user_code
        self.uri = uri
        self.uri_complete = uri_complete
        self.deadline = deadline   # ticks; the renderer counts down to it
        self.status = status       # a short line that changes (network trouble)

    def text(self):
        # A plain-text form for logs, tests and the headless board.
        parts = [self.title]
        if self.user_code:
            parts.append("code " + self.user_code)
        if self.uri:
            parts.append(self.uri)
        parts.extend(self.lines)
        if self.status:
            parts.append(self.status)
        return " | ".join(parts)

    def __eq__(self, other):
        return (isinstance(other, Screen) and self.kind == other.kind
                and self.title == other.title and self.lines == other.lines
                and self.user_code == other.user_code and self.uri == other.uri
                and self.uri_complete == other.uri_complete
                and self.deadline == other.deadline and self.status == other.status)

    def __ne__(self, other):
        return not self.__eq__(other)

    def __repr__(self):
        return "<Screen %s>" % self.text()


def starting(what="Starting"):
    return Screen(STARTING, what + "...")


def pairing(code, deadline, status=None):
    # The user code is shown exactly as received, grouping kept; the QR is
    # never shown without it (DESIGN: the QR is never shown alone).
    lines = (code.message,) if code.message else ()
    return Screen(PAIRING, "Sign in", lines, code.user_code, code.verification_uri,
                  code.verification_uri_complete, deadline, status)


def connected(name, status=None):
    return Screen(CONNECTED, "Connected", (name,) if name else (), status=status)


def denied():
    return Screen(DENIED, "Access denied", (PRESS_FOR_CODE,))


def expired():
    return Screen(EXPIRED, "Code expired", (PRESS_FOR_CODE,))


def needs_auth(reason):
    return Screen(NEEDS_AUTH, "Sign in again", (reason, PRESS_FOR_CODE))


def network(detail, retry_s):
    return Screen(NETWORK, "Network trouble", (detail, "Retrying in %d s" % retry_s))


def config_error(message):
    return Screen(CONFIG_ERROR, "Configuration error", (message,))


def error(message):
    return Screen(ERROR, "Error", (message, PRESS_FOR_CODE))
