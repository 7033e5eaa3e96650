# What an answer from the authorization server means, by its body.
#
# RFC 8628 3.5 and RFC 6749 5.2 define the error codes; real servers bend
# the rules (shared/PROVIDERS.md), so the body's `error` decides whatever the
# HTTP status or content type: GitHub sends errors with 200, OpenAM sends
# authorization_pending with 403. A body we cannot read is a transport
# failure (FAULTS 20, 30): it slows us down but ends nothing.
#
# classify() returns a tuple (kind, obj, code, retry_after): obj the body as
# a dict when readable, code its `error` value, retry_after seconds or None.
# kind, what each answer leads to:
#   "pending"    authorization_pending
#   "slow_down"  slow_down
#   "denied"     access_denied, authorization_declined (Entra)
#   "expired"    expired_token, invalid_grant (Auth0 after expired_token; OpenAM)
#   "config"     the client is set up wrong: terminal, shown
#   "retry"      transport-like: back off and try again
#   "redirect"   never followed (RFC 9700 4.12): terminal
#   "ok"         a 2xx body without `error`
#   "other"      an error code we do not know: terminal, shown

from devflow.core import body, errors

from micropython import const

_RETRY_AFTER_CAP_S = const(300)   # FAULTS 31
# The error codes that are not polled for, by kind: one string each, looked
# up as " code " (a tuple of names would be an object per name: see
# classify()).
_DENIED = const(" access_denied authorization_declined ")  # Entra: declined
# Auth0 answers invalid_grant after expired_token; OpenAM instead of it.
_EXPIRED = const(" expired_token invalid_grant ")
# The client is set up wrong; device_flow_disabled: GitHub.
_CONFIG = const(" invalid_client unauthorized_client unsupported_grant_type"
                " invalid_request invalid_scope device_flow_disabled ")
_RETRY = const(" server_error temporarily_unavailable ")


def classify(response, wall_s=None, keep=None):
    # wall_s: the board's wall clock, when set, for a Retry-After date.
    # keep: the only members of the body that are read (body.parse_object).
    # No answer is a literal tuple: a tuple of constants, and each string
    # of 10 characters or more, is an object the module creates when it is
    # loaded and keeps for good, even when its code runs in place from
    # flash. Short strings (names) cost nothing.
    status = response.status
    obj = code = retry_after = None
    if 300 <= status < 400:
        return ("redirect", obj, code, retry_after)
    # The headers dict has lower-case names (wire.py): a get allocates
    # nothing, where header() lower-cases its argument on every poll.
    retry_after = _retry_after_s(response.headers.get("retry-after"), wall_s)
    kind = "retry"
    try:
        obj = body.parse_object(response.body, keep)
    except errors.ProtocolError:
        return (kind, obj, code, retry_after)
    code = obj.get("error")
    if code is None:
        if 200 <= status < 300:
            kind = "ok"
            retry_after = None
        # else 4xx/5xx with a readable body but no `error`: not an OAuth
        # answer, so "retry".
        return (kind, obj, code, retry_after)
    # Compares, pending first: a poll allocates nothing here. The rarer
    # codes, which end the flow or slow it down, are looked up in the lists
    # above; a code with a blank in it could match across two names there.
    if code == "authorization_pending":
        kind = "pending"
    elif code == "slow_down":
        kind = "slow_down"
    elif not isinstance(code, str) or not code:
        code = None
    else:
        word = " " + code + " "
        if " " in code:
            kind = "other"
        elif word in _DENIED:
            kind = "denied"
        elif word in _EXPIRED:
            kind = "expired"
        elif word in _CONFIG:
            kind = "config"
        elif word not in _RETRY:
            kind = "other"
    return (kind, obj, code, retry_after)


def safe_code(code):
    # An error code from a server is shown on screen and logged: keep it to
    # printable ASCII and short (RFC 6749 5.2 limits it to %x20-21/23-5B/5D-7E).
    # Read as bytes: iterating a str interns every character as a name.
    clean = bytearray()
    for b in code.encode() if isinstance(code, str) else ():
        if 0x21 <= b <= 0x7E and len(clean) < 32:
            clean.append(b)
    return clean.decode() or "unknown"


def _retry_after_s(value, wall_s=None):
    # RFC 9110 10.2.3: delay-seconds, or an HTTP-date when the board's wall
    # clock is set (wall_s); capped. None means "not given" (or a date we
    # cannot judge without a clock: then plain backoff applies).
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit() and len(text) <= 9:
        seconds = int(text)
    elif wall_s is None:
        return None
    else:
        # Only IMF-fixdate (RFC 9110 5.6.7), "Sun, 06 Nov 1994 08:49:37 GMT"
        # (the obsolete forms are not worth the code on a board). Days from
        # the civil date without the time module.
        parts = text.split(" ")
        if len(parts) != 6 or parts[5] != "GMT" or len(parts[4]) != 8:
            return None
        month = "JanFebMarAprMayJunJulAugSepOctNovDec".find(parts[2])
        clock = parts[4].split(":")
        try:
            day, year = int(parts[1]), int(parts[3])
            h, m, sec = int(clock[0]), int(clock[1]), int(clock[2])
        except (ValueError, IndexError):
            return None
        if month < 0 or month % 3 or not 1 <= day <= 31 or year < 1970:
            return None
        month = month // 3 + 1
        y = year - (month <= 2)
        era = y // 400
        yoe = y - era * 400
        doy = (153 * (month + (9 if month <= 2 else -3)) + 2) // 5 + day - 1
        days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
        seconds = days * 86400 + h * 3600 + m * 60 + sec - wall_s
        if seconds < 0:
            seconds = 0
    return _RETRY_AFTER_CAP_S if seconds > _RETRY_AFTER_CAP_S else seconds
