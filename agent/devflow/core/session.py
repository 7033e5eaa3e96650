# Being paired: refresh ahead of expiry, and use the access token. These
# are the flow's steps while paired (begin, resume, wake_at, due, answered,
# unpair), here so that they are not in the heap beside the QR code while a
# code is polled.
#
# What they keep is on the flow (made in its __init__, set by _start here;
# a Session object of its own cost a class and an instance, ~600 B of heap):
#   _tokens         the TokenSet in use
#   _name           the API's name for the user, over the ID token's
#   _status         the connected screen's status line, or None
#   _failures       consecutive failed refreshes
#   _access_until   ticks when the access token expires (None: unknown)
#   _refresh_at     ticks when the next refresh is due, or None
#   _api_at         ticks when the API call is due, or None
#   _api_401        see below
#
# One request at a time (the flow's rule), so a refresh timer and a 401 can
# never cause two refreshes (FAULTS 49): a 401 only moves the refresh to
# "now" and parks the API call until the refresh has answered. A new refresh
# token is saved (an effect the owner performs before the next request)
# before the new access token is used (FAULTS 43).

from micropython import const
from devflow.core.body import parse_object, trim_id_token
from devflow.core.classify import classify, safe_code
from devflow.core.errors import ProtocolError
from devflow.core.screens import LINES, STATUS, make
from devflow.core.ticks import ticks_add, ticks_diff
from devflow.core.tokens import parse_token_response, printable

# FAULTS 46: refresh retries after 1, 2, 4, 10, 30, 60 s, each +-50 %.
_REFRESH_RETRY_S = const(b"\x01\x02\x04\x0a\x1e\x3c")

# Where the API call stands after a 401 (RFC 6750 3.1 invalid_token: one
# refresh, one retry, no loop): flow._api_401 is 0 (no 401 since the last
# 200), 1 (parked until the refresh answers) or 2 (refreshed, retried once).


def _start(flow, now, fresh):
    flow._status = flow._name = None
    flow._failures = flow._api_401 = 0
    flow._api_at = now if flow.config.userinfo_endpoint else None
    if fresh:
        _set_lifetime(flow, now, flow._tokens.lifetime_s)
    else:
        # After a boot we cannot know how long the stored access token
        # has left: refresh at once when we can, else try it until a 401.
        flow._access_until = None
        flow._refresh_at = now if flow._tokens.refresh_token else None


def _set_lifetime(flow, now, lifetime_s):
    # Refresh a tenth of the lifetime early, at most a minute.
    flow._access_until = ticks_add(now, lifetime_s * 1000)
    flow._refresh_at = (ticks_add(now, (lifetime_s - min(60, lifetime_s // 10)) * 1000)
                        if flow._tokens.refresh_token else None)


def _access_expired(flow, now):
    return flow._access_until is not None and ticks_diff(now, flow._access_until) >= 0


def wake_at(flow):
    # The flow's wake_at() while paired. Only times at which due() will
    # have something; a wake for nothing would find the same time in the
    # past again and spin the loop. The API call waits for the refresh when
    # parked by a 401 or due after the access token expires (FAULTS 46); the
    # expiry itself ends the sign-in only without a refresh token.
    soonest = flow._refresh_at
    until = flow._access_until
    api = flow._api_at
    if flow._api_401 == 1 or (api is not None and until is not None and ticks_diff(api, until) >= 0):
        api = None
    for t in (api, None if flow._tokens.refresh_token else until):
        if t is not None and (soonest is None or ticks_diff(t, soonest) < 0):
            soonest = t
    return soonest


def _outcome(flow, now, purpose, response, wall_s):
    # The answer to the request that was due; response None: it failed in
    # transit. Returns None, "revoked", or the server's error code when it
    # says that the client is set up wrong.
    effects = flow._effects
    tokens = flow._tokens
    if purpose != "refresh":
        # The API call (RFC 6750).
        if response is None:
            flow._api_at = ticks_add(now, 30000)
            flow._status = "API unreachable"
            return None
        status = response.status
        if status == 401:
            if flow._api_401 or tokens.refresh_token is None:
                return "revoked"
            flow._api_401 = 1
            flow._api_at = flow._refresh_at = now
            return None
        if status == 200:
            flow._api_401 = 0
            try:
                name = display_name(parse_object(response.body))
            except ProtocolError:
                flow._status = "API answer unreadable"
                return None
            if name != flow._name:
                # The same name again keeps the old str: nothing this
                # turn allocated outlives it, and leaves no hole.
                flow._name = name
            flow._status = None
        else:
            # 403 insufficient_scope and the rest: surfaced, not retried.
            flow._status = "API error %d" % status
        effects.append(("log", "api", {"status": status}))
        return None
    # The refresh answer (RFC 6749 6).
    if response is None:
        # Not one tuple of four: that would be a constant kept for good.
        kind = "retry"
        obj = code = retry_after = None
    else:
        # A refreshed ID token is never read (tokens.parse_token_response).
        trim_id_token(response.body, False)
        kind, obj, code, retry_after = classify(response, wall_s)
    if kind == "expired":
        # invalid_grant: revoked, expired or rotated away. Never retried
        # with the same refresh token (FAULTS 45).
        effects.append(("log", "refresh", {"outcome": safe_code(code)}))
        return "revoked"
    if kind == "config":
        return safe_code(code)
    if kind == "ok":
        try:
            # Into the set we hold, so that only the new strings outlive
            # this turn; no decoding comes on top of this turn's answer.
            parse_token_response(obj, tokens)
        except ProtocolError as e:
            effects.append(("log", "refresh", {"outcome": "unusable", "why": str(e)}))
            retry_after = None
        else:
            lifetime = tokens.lifetime_s
            flow._failures = 0
            flow._status = None
            _set_lifetime(flow, now, lifetime)
            effects.append(("save", tokens))
            effects.append(("log", "refresh", {"outcome": "ok", "expires_in": lifetime}))
            if flow._api_401 == 1:
                flow._api_401 = 2
                flow._api_at = now
            return None
    # Trouble that ends nothing: try again later (FAULTS 46).
    wait = _REFRESH_RETRY_S[min(flow._failures, 5)] * 1000
    flow._failures += 1
    wait = wait // 2 + int(wait * flow.rand())   # +-50 %
    if retry_after is not None and retry_after * 1000 > wait:
        wait = retry_after * 1000
    flow._refresh_at = ticks_add(now, wait)
    flow._status = "Refresh failing, retrying"
    effects.append(("log", "refresh", {"outcome": "retry", "next_in_ms": wait}))
    return None


# The claims a name is taken from, best first: one string, split when used
# (a tuple would be kept for good, with an object per string that is not a
# name of the agent's).
_NAME_CLAIMS = const("name preferred_username email sub")


def display_name(obj):
    # The friendliest printable claim of obj (a userinfo answer for the
    # session, or ID token claims for idtoken.py); never the token itself.
    # The usual short ASCII name is returned as it is, without a copy;
    # another is cut to its printable bytes (bytes: iterating a str would
    # intern every character). classify.safe_code does the same for error
    # codes; a helper both import measured 0.9 KB more of smallest heap.
    for key in _NAME_CLAIMS.split():
        value = obj.get(key)
        if printable(value, 40):
            return value
        if isinstance(value, str):
            clean = bytearray()
            for b in value.encode():
                if 32 <= b <= 126:
                    clean.append(b)
            if clean:
                return clean[:40].decode()
    return None


# -- the flow's steps while paired (flow.py calls them) ---------------------

def begin(flow):
    # approved -> paired: the turn after the ID token's check (idtoken.py,
    # which the owner dropped at this turn's start); flow._at still holds
    # when the tokens came.
    tokens = flow._tokens
    _start(flow, flow._at, True)
    # On flash before the first request while paired (FAULTS 43).
    flow._effects.append(("save", tokens))
    flow._go("tokens", "paired", make("connected", tokens.name))
    flow._log("paired", {"name": tokens.name or ""})


def resume(flow, now):
    # start or discovery -> paired, with the tokens read from flash.
    flow._go("tokens", "paired", make("connected", flow._tokens.name))
    _start(flow, now, False)


def due(flow, now):
    # The flow's request_due() while paired.
    tokens = flow._tokens
    if _access_expired(flow, now) and not tokens.refresh_token:
        # FAULTS 38: no refresh token, so the sign-in ends with it.
        _wipe(flow)
        flow._go("revoked", "needs_auth", make("needs_auth", "Sign-in expired"))
        return None
    return _request(flow, now, tokens)


def _request(flow, now, tokens):
    # The refresh or the API call, when one is due.
    if flow._refresh_at is not None and ticks_diff(now, flow._refresh_at) >= 0:
        flow._refresh_at = None
        # requests.py: imported to build one, dropped by the owner before
        # it is sent (as in flow.py).
        from devflow.core.requests import refresh
        return refresh(flow.config, tokens.refresh_token)
    # No API call with an expired token (FAULTS 46), nor while parked.
    if (flow._api_at is not None and flow._api_401 != 1 and not _access_expired(flow, now)
            and ticks_diff(now, flow._api_at) >= 0):
        flow._api_at = None
        from devflow.core.requests import api_get
        return api_get(flow.config.userinfo_endpoint, tokens.access_token)
    return None


def answered(flow, now, purpose, response, wall_s):
    # The flow's handle_response() while paired: what the answer means
    # moves the table.
    outcome = _outcome(flow, now, purpose, response, wall_s)
    if outcome == "revoked":
        _wipe(flow)
        flow._go("revoked", "needs_auth", make("needs_auth", "Sign-in ended by the server"))
    elif outcome:
        flow._fail(True, "server says " + outcome)   # the client is set up wrong
    else:
        name = flow._name or flow._tokens.name
        status = flow._status
        screen = flow.screen
        # A new screen only when it differs: one made every API call would
        # outlive the turn's garbage around it, a hole on either side.
        if screen[STATUS] != status or screen[LINES] != ((name,) if name else ()):
            flow.screen = make("connected", name, status)


def _wipe(flow):
    # The tokens are dropped, and the owner wipes them from flash.
    flow._tokens = None
    flow._effects.append(("wipe",))


def unpair(flow, now):
    # Long press: wipe the flash first (a power cut during revocation must
    # not leave the device paired), then revoke (RFC 7009) with the token
    # still in memory, where the server has an endpoint.
    tokens = flow._tokens
    config = flow.config
    flow._log("unpair", {})
    _wipe(flow)
    if config.revocation_endpoint:
        token, hint = tokens.refresh_token, "refresh_token"
        if not token:
            token, hint = tokens.access_token, "access_token"
        from devflow.core.requests import revoke
        flow._poll = revoke(config, token, hint)
        flow._tokens = tokens   # until revoked: leaks() still covers them
        flow._go("unpair", "unpairing", make("starting", "Unpairing"), now)
    else:
        flow._go("unpaired", "needs_auth", make("needs_auth", "Unpaired"))
