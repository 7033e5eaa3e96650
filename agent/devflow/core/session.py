# Being paired: refresh ahead of expiry, and use the access token.
#
# One request at a time (the flow's rule), so a refresh timer and a 401 can
# never cause two refreshes (FAULTS 49): a 401 only moves the refresh to
# "now" and parks the API call until the refresh has answered. A new refresh
# token is saved (an effect the owner performs before the next request)
# before the new access token is used (FAULTS 43).

from micropython import const
from devflow.core import requests
from devflow.core.body import parse_object
from devflow.core.classify import classify, safe_code
from devflow.core.errors import ProtocolError
from devflow.core.idtoken import display_name, trusted_name
from devflow.core.ticks import ticks_add, ticks_diff
from devflow.core.tokens import parse_token_response

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
        soonest = None
        for t in (self._refresh_at, self._api_at, self._access_until):
            if t is not None and (soonest is None or ticks_diff(t, soonest) < 0):
                soonest = t
        return soonest

    def request_due(self, now):
        if self._refresh_at is not None and ticks_diff(now, self._refresh_at) >= 0:
            self._refresh_at = None
            return requests.refresh(self.config, self.tokens.refresh_token)
        # No API call with an expired token (FAULTS 46), nor while parked.
        if (self._api_at is not None and self._api_401 != 1 and not self.access_expired(now)
                and ticks_diff(now, self._api_at) >= 0):
            self._api_at = None
            return requests.api_get(self.config.userinfo_endpoint, self.tokens.access_token)
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
                    self.name = display_name(parse_object(response.body))
                except ProtocolError:
                    self.status = "API answer unreadable"
                    return None
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
            old = self.tokens
            try:
                new = parse_token_response(obj)
            except ProtocolError as e:
                self.effects.append(("log", "refresh", {"outcome": "unusable", "why": str(e)}))
                new = retry_after = None
            if new:
                if new.refresh_token is None:
                    new.refresh_token = old.refresh_token   # FAULTS 44
                new.name = old.name
                if new.id_token is not None:
                    try:
                        new.name = trusted_name(new.id_token, self.config.issuer,
                                                self.config.client_id, wall_s)
                    except ProtocolError:
                        new.id_token = old.id_token
                self.tokens = new
                self._failures = 0
                self.status = None
                self._set_lifetime(now, new.lifetime_s)
                self.effects.append(("save", new))
                self.effects.append(("log", "refresh", {"outcome": "ok", "expires_in": new.lifetime_s}))
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
