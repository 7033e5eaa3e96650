# Being paired: refresh ahead of expiry, and use the access token. The
# flow's steps while paired are here too (begin, due, answered, unpair), so
# that they are not in the heap beside the QR code while a code is polled.
#
# One request at a time (the flow's rule), so a refresh timer and a 401 can
# never cause two refreshes (FAULTS 49): a 401 only moves the refresh to
# "now" and parks the API call until the refresh has answered. A new refresh
# token is saved (an effect the owner performs before the next request)
# before the new access token is used (FAULTS 43).

from micropython import const
from devflow.core.body import parse_object
from devflow.core.classify import classify, safe_code
from devflow.core.errors import ProtocolError
from devflow.core.screens import LINES, STATUS, make
from devflow.core.ticks import ticks_add, ticks_diff
from devflow.core.tokens import parse_token_response, printable

# FAULTS 46: refresh retries after 1, 2, 4, 10, 30, 60 s, each +-50 %.
_REFRESH_RETRY_S = const(b"\x01\x02\x04\x0a\x1e\x3c")

# Where the API call stands after a 401 (RFC 6750 3.1 invalid_token: one
# refresh, one retry, no loop): _api_401 is 0 (no 401 since the last 200),
# 1 (parked until the refresh answers) or 2 (refreshed, retried once).


class Session:
    def __init__(self, config, tokens, now, rand, fresh):
        self.config = config
        self.tokens = tokens
        self.rand = rand
        self.status = None
        self.effects = []       # ("save", TokenSet), ("log", ...): the flow takes them
        self.name = None        # the API's name for the user, over the ID token's
        self._failures = 0
        self._api_401 = 0
        self._api_at = now if config.userinfo_endpoint else None
        if fresh:
            self._set_lifetime(now, tokens.lifetime_s)
        else:
            # After a boot we cannot know how long the stored access token
            # has left: refresh at once when we can, else try it until a 401.
            self._access_until = None
            self._refresh_at = now if tokens.refresh_token else None

    def _set_lifetime(self, now, lifetime_s):
        # Refresh a tenth of the lifetime early, at most a minute.
        self._access_until = ticks_add(now, lifetime_s * 1000)
        self._refresh_at = (ticks_add(now, (lifetime_s - min(60, lifetime_s // 10)) * 1000)
                            if self.tokens.refresh_token else None)

    def access_expired(self, now):
        return self._access_until is not None and ticks_diff(now, self._access_until) >= 0

    def wake_at(self):
        # Only times at which request_due() will have something; a wake for
        # nothing would find the same time in the past again and spin the
        # loop. The API call waits for the refresh when parked by a 401 or
        # due after the access token expires (FAULTS 46); the expiry itself
        # ends the sign-in only without a refresh token.
        soonest = self._refresh_at
        until = self._access_until
        api = self._api_at
        if self._api_401 == 1 or (api is not None and until is not None and ticks_diff(api, until) >= 0):
            api = None
        for t in (api, None if self.tokens.refresh_token else until):
            if t is not None and (soonest is None or ticks_diff(t, soonest) < 0):
                soonest = t
        return soonest

    def request_due(self, now):
        if self._refresh_at is not None and ticks_diff(now, self._refresh_at) >= 0:
            self._refresh_at = None
            # requests.py: imported to build one, dropped by the owner
            # before it is sent (as in flow.py).
            from devflow.core.requests import refresh
            return refresh(self.config, self.tokens.refresh_token)
        # No API call with an expired token (FAULTS 46), nor while parked.
        if (self._api_at is not None and self._api_401 != 1 and not self.access_expired(now)
                and ticks_diff(now, self._api_at) >= 0):
            self._api_at = None
            from devflow.core.requests import api_get
            return api_get(self.config.userinfo_endpoint, self.tokens.access_token)
        return None

    def on_response(self, now, purpose, response, wall_s=None):
        # The answer to the request that was due; response None: it failed
        # in transit. Returns None, "revoked", or the server's error code
        # when it says that the client is set up wrong.
        if purpose != "refresh":
            # The API call (RFC 6750).
            if response is None:
                self._api_at = ticks_add(now, 30000)
                self.status = "API unreachable"
                return None
            status = response.status
            if status == 401:
                if self._api_401 or self.tokens.refresh_token is None:
                    return "revoked"
                self._api_401 = 1
                self._api_at = self._refresh_at = now
                return None
            if status == 200:
                self._api_401 = 0
                try:
                    name = display_name(parse_object(response.body))
                except ProtocolError:
                    self.status = "API answer unreadable"
                    return None
                if name != self.name:
                    # The same name again keeps the old str: nothing this
                    # turn allocated outlives it, and leaves no hole.
                    self.name = name
                self.status = None
            else:
                # 403 insufficient_scope and the rest: surfaced, not retried.
                self.status = "API error %d" % status
            self.effects.append(("log", "api", {"status": status}))
            return None
        # The refresh answer (RFC 6749 6).
        kind, obj, code, retry_after = (classify(response, wall_s) if response
                                        else ("retry", None, None, None))
        if kind == "expired":
            # invalid_grant: revoked, expired or rotated away. Never retried
            # with the same refresh token (FAULTS 45).
            self.effects.append(("log", "refresh", {"outcome": safe_code(code)}))
            return "revoked"
        if kind == "config":
            return safe_code(code)
        if kind == "ok":
            try:
                new = parse_token_response(obj)
            except ProtocolError as e:
                self.effects.append(("log", "refresh", {"outcome": "unusable", "why": str(e)}))
                new = retry_after = None
            if new:
                # Into the set we hold, so that only the new strings outlive
                # this turn. The ID token and the name stay those checked at
                # pairing: a refreshed ID token (OIDC Core 12.2) is not read,
                # so never trusted nor kept (FAULTS 40), and no decoding
                # comes on top of this turn's answer.
                tokens = self.tokens
                tokens.access_token = new.access_token
                tokens.refresh_token = new.refresh_token or tokens.refresh_token   # FAULTS 44
                tokens.scope = new.scope or tokens.scope   # absent: as before (RFC 6749 5.1)
                tokens.lifetime_s = lifetime = new.lifetime_s
                self._failures = 0
                self.status = None
                self._set_lifetime(now, lifetime)
                self.effects.append(("save", tokens))
                self.effects.append(("log", "refresh", {"outcome": "ok", "expires_in": lifetime}))
                if self._api_401 == 1:
                    self._api_401 = 2
                    self._api_at = now
                return None
        # Trouble that ends nothing: try again later (FAULTS 46).
        wait = _REFRESH_RETRY_S[min(self._failures, 5)] * 1000
        self._failures += 1
        wait = wait // 2 + int(wait * self.rand())   # +-50 %
        if retry_after is not None and retry_after * 1000 > wait:
            wait = retry_after * 1000
        self._refresh_at = ticks_add(now, wait)
        self.status = "Refresh failing, retrying"
        self.effects.append(("log", "refresh", {"outcome": "retry", "next_in_ms": wait}))
        return None


def display_name(obj):
    # The friendliest printable claim of obj (a userinfo answer for the
    # session, or ID token claims for idtoken.py, which thus needs no
    # session); never the token itself. The usual short ASCII name is returned as it is, without a copy; another is cut to its
    # printable bytes (bytes: iterating a str would intern every character).
    for key in ("name", "preferred_username", "email", "sub"):
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
    flow._session = Session(flow.config, tokens, flow._at, flow.rand, True)
    # On flash before the session's first request (FAULTS 43).
    flow._effects.append(("save", tokens))
    flow._go("tokens", "paired", make("connected", tokens.name))
    flow._log("paired", {"name": tokens.name or ""})


def due(flow, now):
    # The flow's request_due() while paired.
    session = flow._session
    if session.access_expired(now) and not session.tokens.refresh_token:
        # FAULTS 38: no refresh token, so the sign-in ends with it.
        flow._wipe()
        flow._go("revoked", "needs_auth", make("needs_auth", "Sign-in expired"))
        return None
    return session.request_due(now)


def answered(flow, now, purpose, response, wall_s):
    # The flow's handle_response() while paired: what the session reports
    # moves the table.
    session = flow._session
    outcome = session.on_response(now, purpose, response, wall_s)
    flow._effects.extend(session.effects)
    session.effects.clear()
    if outcome == "revoked":
        flow._wipe()
        flow._go("revoked", "needs_auth", make("needs_auth", "Sign-in ended by the server"))
    elif outcome:
        flow._fail(True, "server says " + outcome)   # the client is set up wrong
    else:
        tokens = flow._tokens = session.tokens
        name = session.name or tokens.name
        screen = flow.screen
        # A new screen only when it differs: one made every API call would
        # outlive the turn's garbage around it, a hole on either side.
        if screen[STATUS] != session.status or screen[LINES] != ((name,) if name else ()):
            flow.screen = make("connected", name, session.status)


def unpair(flow, now):
    # Long press: wipe the flash first (a power cut during revocation must
    # not leave the device paired), then revoke (RFC 7009) with the token
    # still in memory, where the server has an endpoint.
    tokens = flow._session.tokens
    config = flow.config
    flow._log("unpair", {})
    flow._wipe()
    if config.revocation_endpoint:
        token, hint = tokens.refresh_token, "refresh_token"
        if not token:
            token, hint = tokens.access_token, "access_token"
        from devflow.core.requests import revoke
        flow._poll = revoke(config, token, hint)
        flow._tokens = tokens   # until revoked: secrets() still covers them
        flow._go("unpair", "unpairing", make("starting", "Unpairing"), now)
    else:
        flow._go("unpaired", "needs_auth", make("needs_auth", "Unpaired"))
