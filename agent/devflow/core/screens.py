# What the person sees, as data (a view-model). The display adapter draws
# it; tests compare it. Nothing here holds a secret: the user code and the
# verification URIs are meant to be shown (RFC 8628 3.3).
#
# Screen kinds: "starting", "pairing", "connected", "denied", "expired",
# "needs_auth", "network", "config_error", "error".

from micropython import const

PAIRING = "pairing"   # the one kind the owner and the display test for

_PRESS = const("Press the button for a new code")

# What each NetworkError kind means to a person: "|kind:text", one string
# (a dict would be built in the heap at import).
_NETWORK_TEXT = const("|dns:Cannot find the server"
                      "|connect:Server unreachable"
                      "|tls:Server certificate refused"
                      "|timeout:Server not answering"
                      "|reset:Connection dropped"
                      "|too_large:Answer too large"
                      "|bad_response:Garbled answer"
                      "|memory:Out of memory"
                      "|no_link:No Wi-Fi|")


def network_text(kind):
    i = _NETWORK_TEXT.find("|" + kind + ":")
    if i < 0:
        return "Network trouble"
    i += len(kind) + 2
    return _NETWORK_TEXT[i:_NETWORK_TEXT.find("|", i)]


class Screen:
    def __init__(self, kind, title, lines=(), status=None, user_code=None,
                 uri=None, uri_complete=None, deadline=None):
        self.kind = kind
        self.title = title
        self.lines = lines
        self.status = status       # a short line that changes (network trouble)
        self.user_code = user_code
        self.uri = uri
        self.uri_complete = uri_complete
        self.deadline = deadline   # ticks; the renderer counts down to it

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
        # Same fields, same screen: the owner redraws only on a change. The
        # same object (the usual case, a poll) is answered without a copy.
        return self is other or (isinstance(other, Screen) and self.__dict__ == other.__dict__)


def starting(what="Starting"):
    return Screen("starting", what + "...")


def pairing(code, deadline, status=None):
    # The user code is shown exactly as received, grouping kept; the QR is
    # never shown without it (DESIGN: the QR is never shown alone).
    return Screen(PAIRING, "Sign in", (code.message,) if code.message else (), status,
                  code.user_code, code.verification_uri, code.verification_uri_complete, deadline)


def connected(name, status=None):
    return Screen("connected", "Connected", (name,) if name else (), status)


def denied():
    return Screen("denied", "Access denied", (_PRESS,))


def expired():
    return Screen("expired", "Code expired", (_PRESS,))


def needs_auth(reason):
    return Screen("needs_auth", "Sign in again", (reason, _PRESS))


def network(detail, retry_s):
    return Screen("network", "Network trouble", (detail, "Retrying in %d s" % retry_s))


def config_error(message):
    return Screen("config_error", "Configuration error", (message,))


def error(message):
    return Screen("error", "Error", (message, _PRESS))
