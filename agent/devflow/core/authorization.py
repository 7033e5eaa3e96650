# The pairing half of the flow: the device authorization response (RFC 8628
# 3.2), checked field by field, and the polls until the tokens come (3.4,
# 3.5). The flow (flow.py) owns the state and its one transition table; the
# steps of pairing are here, so that a paired board can drop this module
# from its heap (app.forget) and one that boots paired never loads it.
#
# What is shown on the screen comes from here, so the checks are strict
# where a hostile server could spoof the display (FAULTS 13, 14) and lenient
# where real servers differ harmlessly (FAULTS 5, 7, 12).

from micropython import const
from devflow.core.config import url_host
from devflow.core.errors import ProtocolError
from devflow.core.screens import STATUS, make, network_text, pairing
from devflow.core.ticks import ticks_add
from devflow.core.tokens import BAD_FIELD, parse_token_response, printable, whole_seconds

# A poll waits its interval plus 20 %: a board's clock may run fast by that
# much (FAULTS 54) and the server must still never see a poll too early.
_MS_PER_INTERVAL_S = const(1200)


def _check_uri(uri, name, allowed_hosts):
    # Returns the host of an https URL (plain http only to this machine).
    host = printable(uri, 256) and " " not in uri and url_host(uri)
    if not host:
        raise ProtocolError("'%s' is not an https URL" % name)
    if allowed_hosts and host not in allowed_hosts:
        raise ProtocolError("'%s' host is not allowed" % name)
    return host


def parse_device_code(obj, max_lifetime_s, allowed_hosts=None):
    # -> (device_code, user_code, uri, uri_complete, lifetime_s, interval_s,
    # message), or ProtocolError. Plain values, no class: the flow keeps
    # only the device code (a secret: never shown, never logged), and the
    # pairing screen holds the rest.
    device_code = obj.get("device_code")
    if not isinstance(device_code, str) or not device_code or len(device_code) > 1024:
        raise ProtocolError(BAD_FIELD % "device_code")
    user_code = obj.get("user_code")
    if not printable(user_code, 32):
        raise ProtocolError(BAD_FIELD % "user_code")
    # Google spells it verification_url (FAULTS 5).
    uri = obj.get("verification_uri")
    if uri is None:
        uri = obj.get("verification_url")
    host = _check_uri(uri, "verification_uri", allowed_hosts)
    complete = obj.get("verification_uri_complete")
    if complete is not None:
        # FAULTS 16: a bad or foreign complete URI only loses the QR of it.
        try:
            if _check_uri(complete, "verification_uri_complete", allowed_hosts) != host:
                complete = None
        except ProtocolError:
            complete = None
    lifetime = whole_seconds(obj.get("expires_in"))
    if lifetime is None or lifetime <= 0:
        raise ProtocolError(BAD_FIELD % "expires_in")
    if lifetime > max_lifetime_s:
        lifetime = max_lifetime_s
    # FAULTS 10-12: an absent, null, true, 0 or negative interval means the
    # default ("If no value is provided, clients MUST use 5", RFC 8628 3.2);
    # a float rounds up; a huge one is clamped, and so is one that would not
    # leave time for a poll before the deadline.
    interval = whole_seconds(obj.get("interval"), round_up=True)
    if interval is None or interval <= 0:
        interval = 5
    if interval > 60:
        interval = 60
    if interval * 2 > lifetime:
        interval = max(1, lifetime // 2)
    message = obj.get("message")
    if not printable(message, 160):
        message = None
    return device_code, user_code, uri, complete, lifetime, interval, message


def begin_polling(flow, now, obj):
    # requesting -> polling, with the device authorization response.
    try:
        device_code, user_code, uri, complete, lifetime, interval, message = parse_device_code(
            obj, flow.config.max_code_lifetime, flow.config.verification_uri_hosts)
    except ProtocolError as e:
        # FAULTS 3-6, 13, 14: malformed; never poll, never show it.
        flow._log("bad_response", {"during": "device_authorization", "why": str(e)})
        flow._retry(now, "bad answer from server")
        return
    flow._failures = 0
    flow._code = device_code
    flow._interval = interval
    # flow._poll, the poll's Request, is built at the first poll (flow.py).
    flow._deadline = ticks_add(now, lifetime * 1000)
    flow._go("code", "polling", pairing(user_code, uri, complete, message, flow._deadline),
             ticks_add(now, interval * _MS_PER_INTERVAL_S))
    flow._log("pairing_code", {
        "user_code": user_code,
        "verification_uri": uri,
        "verification_uri_complete": complete or "",
        "expires_in": lifetime,
        "interval": interval,
    })


def poll_answered(flow, now, kind, obj, code, retry_after):
    # Polling, any answer but the tokens, as classify() read it; kind
    # "network": no answer, code the NetworkError kind.
    # Compares, not `in` a tuple (a constant kept for good).
    if kind == "denied" or kind == "expired":
        # "The authorization request was denied ... the client SHOULD stop
        # polling" (RFC 8628 3.5); so does an expired code.
        flow._log("poll", {"outcome": kind})
        flow._stop(kind)
        return
    status = None
    if kind == "pending" or kind == "slow_down":
        # authorization_pending: "the client SHOULD repeat the access token
        # request ... as described by the interval".
        flow._failures = 0
        if kind == "slow_down":
            # "the interval MUST be increased by 5 seconds for this and all
            # subsequent requests"; a larger interval sent with it (GitHub)
            # wins (FAULTS 24).
            server = whole_seconds(obj.get("interval"), round_up=True)
            flow._interval += 5
            if server is not None and server > flow._interval:
                flow._interval = server
        wait = flow._interval * _MS_PER_INTERVAL_S
        flow._at = ticks_add(now, wait)
    else:
        # Trouble that ends nothing: back off, and say so.
        wait = flow._later(now, flow._interval * _MS_PER_INTERVAL_S, retry_after)
        if kind == "network":
            status = network_text(code)
            code = None
        else:
            status = "Server busy"
        status += ", retrying"
    flow._log("poll", {"outcome": code or kind, "next_in_ms": wait, "interval": flow._interval})
    screen = flow.screen
    if status != screen[STATUS]:
        # Only a changed status makes a new screen (the pairing screen with
        # it, the only one shown while polling): a pending poll allocates
        # nothing here.
        flow.screen = screen[:STATUS] + (status,) + screen[STATUS + 1:]


def approved(flow, now, obj, wall_s):
    # Polling ends with the tokens (RFC 8628 3.5). The device code is spent
    # whatever happens next: a success that we cannot use must not be
    # polled again (FAULTS 35).
    flow._code = flow._poll = None
    try:
        tokens = parse_token_response(obj)
    except ProtocolError as e:
        flow._log("error", {"reason": "token_unusable", "message": str(e)})
        flow._go("unusable", "needs_auth", make("needs_auth", "Server sent no usable token"))
        return
    # Only the checked tokens are kept for the next turns, due at once
    # (idtoken.check, then session.begin): the ID token is read and the
    # session loaded there, after the owner has dropped this module and
    # this turn's answer is gone, rather than on top of them at the heap's
    # peak. leaks() covers the tokens meanwhile.
    flow._tokens = tokens
    flow._wall_s = wall_s
    flow._go("approved", "approved", make("starting", "Connecting"), now)
