# What the person sees, as data (a view-model). The display adapter draws
# it; tests compare it. Nothing here holds a secret: the user code and the
# verification URIs are meant to be shown (RFC 8628 3.3).
#
# Screen kinds: "starting", "pairing", "connected", "denied", "expired",
# "needs_auth", "network", "config_error", "error". pairing() makes the
# pairing screen, make() all the others.

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


# A screen is a plain tuple, read by these indexes (a Screen class and a
# factory per kind cost about 1.1 KB more of heap for good, and each screen
# an attribute dict). Tuples compare field by field, so the owner redraws
# only on a change, and the same object (the usual case, a poll) is equal
# without a look inside.
KIND = const(0)       # one of the kinds above
TITLE = const(1)      # the first, larger line
LINES = const(2)      # a tuple of text lines under it
STATUS = const(3)     # a line that changes (network trouble, a retry), or None
CODE = const(4)       # pairing: the user code, shown exactly as received
URI = const(5)        # pairing: where to enter it
COMPLETE = const(6)   # pairing: the URI with the code in it (the QR), or None
DEADLINE = const(7)   # pairing: ticks; the renderer counts down to it

# The title of every kind make() makes, "|kind:title|"; a "+" ends the
# title of a screen that waits for a press, whose last line says so.
_TITLES = const("|connected:Connected"
                "|denied:Access denied+"
                "|expired:Code expired+"
                "|needs_auth:Sign in again+"
                "|network:Network trouble"
                "|config_error:Configuration error"
                "|error:Error+|")


def text(screen):
    # A plain-text form for logs, tests and the headless board.
    parts = [screen[TITLE]]
    if screen[CODE]:
        parts.append("code " + screen[CODE])
    if screen[URI]:
        parts.append(screen[URI])
    parts.extend(screen[LINES])
    if screen[STATUS]:
        parts.append(screen[STATUS])
    return " | ".join(parts)


def make(kind, detail=None, status=None):
    # Any screen but pairing. detail: its one variable line (the reason,
    # the message, the user's name), or for "starting" what is starting
    # ("Connecting" -> "Connecting...").
    if kind == "starting":
        return (kind, (detail or "Starting") + "...", (), None, None, None, None, None)
    i = _TITLES.find("|" + kind + ":") + len(kind) + 2
    title = _TITLES[i:_TITLES.find("|", i)]
    lines = (detail,) if detail else ()
    if title.endswith("+"):
        title = title[:-1]
        lines += (_PRESS,)
    return (kind, title, lines, status, None, None, None, None)


def pairing(user_code, uri, uri_complete, message, deadline):
    # The user code is shown exactly as received, grouping kept; the QR is
    # never shown without it (DESIGN: the QR is never shown alone). A status
    # comes later, into a copy of this tuple (authorization.poll_answered).
    return (PAIRING, "Sign in", (message,) if message else (), None,
            user_code, uri, uri_complete, deadline)
