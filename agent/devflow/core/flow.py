# The device flow as a sans-I/O state machine (RFC 8628).
#
# Theory of operation
# -------------------
# Everything that changes the state of the flow lives in this file, and every
# allowed change is one line of TRANSITIONS below. The flow never touches a
# socket, a clock, flash or pixels; its owner (app.py) feeds it events:
#
#   request_due(now)            -> a Request to send now, or None
#   handle_response(now, resp)  the answer to that request
#   handle_failure(now, error)  NetworkError instead of an answer
#   handle_button(now, long)    a press (long = unpair)
#
# and after each event reads what it must do:
#
#   wake_at()    ticks at which request_due() will have something (or None:
#                wait for the button)
#   screen       the view-model to draw (screens.py)
#   effects()    ("save", TokenSet), ("wipe",), ("log", event, fields), in
#                order; a save is done before the next request is sent, so a
#                rotated refresh token is on flash before it is used.
#
# `now` is milliseconds on the wrapping tick clock (ticks.py). One request is
# in flight at most. While paired, refresh and API calls are the Session's
# business (session.py); it reports outcomes that move this table.
#
# session.py, tokens.py and idtoken.py are imported when first needed, not
# here: while a code is polled they are not in the heap beside the QR code
# (a board's peak), and a board that boots already paired never loads the
# pairing half's code paths it skips.

from devflow.core import requests, screens
from devflow.core.authorization import parse_device_code
from devflow.core.classify import (CONFIG, DENIED, EXPIRED, OK, OTHER, PENDING,
                                   REDIRECT, SLOWER, classify, safe_code)
from devflow.core.config import apply_discovery, discovery_url
from devflow.core.errors import ConfigError, ProtocolError
from devflow.core.numbers import whole_seconds
from devflow.core.schedule import PollSchedule, backoff_ms
from devflow.core.ticks import ticks_add, ticks_diff

START = "start"
DISCOVERING = "discovering"
REQUESTING = "requesting"
POLLING = "polling"
PAIRED = "paired"
DENIED_STATE = "denied"
EXPIRED_STATE = "expired"
NEEDS_AUTH = "needs_auth"
FAILED = "failed"
CONFIG_ERROR = "config_error"
UNPAIRING = "unpairing"

# (state, outcome) -> next state. Staying put (pending, a retry) is not a
# transition. The waiting states only leave on a button press (RFC 8628 3.1:
# after expiry or denial a new code is asked for on user action).
TRANSITIONS = {
    (START, "discover"): DISCOVERING,
    (START, "no_tokens"): REQUESTING,
    (START, "tokens"): PAIRED,
    (DISCOVERING, "no_tokens"): REQUESTING,
    (DISCOVERING, "tokens"): PAIRED,
    (REQUESTING, "code"): POLLING,
    (POLLING, "approved"): PAIRED,
    (POLLING, "denied"): DENIED_STATE,
    (POLLING, "expired"): EXPIRED_STATE,
    (POLLING, "unusable"): NEEDS_AUTH,
    (PAIRED, "revoked"): NEEDS_AUTH,
    (PAIRED, "unpaired"): NEEDS_AUTH,
    (PAIRED, "unpair"): UNPAIRING,
    (UNPAIRING, "revoked"): NEEDS_AUTH,
}
for _s in (START, DISCOVERING, REQUESTING, POLLING, PAIRED):
    TRANSITIONS[(_s, "bad_config")] = CONFIG_ERROR
for _s in (REQUESTING, POLLING):
    TRANSITIONS[(_s, "refused")] = FAILED
for _s in (DENIED_STATE, EXPIRED_STATE, NEEDS_AUTH, FAILED, CONFIG_ERROR):
    TRANSITIONS[(_s, "button")] = REQUESTING
    TRANSITIONS[(_s, "rediscover")] = DISCOVERING

_FIRST_TRY_BACKOFF_MS = 5000   # before a device code exists there is no interval


class DeviceFlow:
    def __init__(self, config, rand, tokens=None):
        self.config = config
        self.rand = rand
        self.state = START
        self.screen = screens.starting()
        self._effects = []
        self._tokens = tokens
        self._code = None
        self._poll = None       # the token-poll Request, built once per code
        self._schedule = None
        self._session = None
        self._in_flight = None
        self._retry_at = None
        self._failures = 0
        self._revoke = None     # (token, hint) while unpairing

    # -- the owner's API -------------------------------------------------

    def start(self, now):
        if self.config.needs_discovery():
            self._go("discover")
            self._retry_at = now
            self.screen = screens.starting("Connecting")
        else:
            self._after_endpoints(now)

    def effects(self):
        out = self._effects
        self._effects = []
        return out

    def wake_at(self):
        if self._in_flight:
            return None
        if self.state == POLLING:
            return self._schedule.wake_at()
        if self.state == PAIRED:
            return self._session.wake_at()
        if self.state in (DISCOVERING, REQUESTING):
            return self._retry_at
        if self.state == UNPAIRING:
            return self._retry_at
        return None

    def request_due(self, now):
        if self._in_flight:
            return None
        request = None
        if self.state == POLLING:
            request = self._poll_due(now)
        elif self.state == PAIRED:
            if self._session.access_expired(now) and not self._session.tokens.refresh_token:
                # FAULTS 38: no refresh token, so the sign-in ends with it.
                self._wipe()
                self._go("revoked")
                self.screen = screens.needs_auth("Sign-in expired")
                return None
            request = self._session.request_due(now)
        elif self.state == UNPAIRING:
            request = requests.revoke(self.config, self._revoke[0], self._revoke[1])
        elif self.state in (DISCOVERING, REQUESTING) and self._due(now, self._retry_at):
            if self.state == DISCOVERING:
                request = requests.discovery(discovery_url(self.config.issuer))
            else:
                request = requests.device_authorization(self.config)
        if request is not None:
            self._in_flight = request.purpose
        return request

    def handle_response(self, now, response, wall_s=None):
        purpose = self._take_in_flight()
        if self.state == UNPAIRING:
            # RFC 7009 2.2: the answer does not matter to the client; the
            # tokens are already gone from flash.
            self._unpaired()
        elif self.state == DISCOVERING:
            self._on_discovery(now, response, wall_s)
        elif self.state == REQUESTING:
            self._on_code_response(now, response, wall_s)
        elif self.state == POLLING:
            self._on_poll_response(now, response, wall_s)
        elif self.state == PAIRED:
            self._session_outcome(now, self._session.on_response(now, purpose, response, wall_s))

    def handle_failure(self, now, error):
        # error: a NetworkError (its kind is not secret) or a ConfigError
        # raised by the transport (plain http to a remote host).
        purpose = self._take_in_flight()
        if isinstance(error, ConfigError):
            self._config_error(str(error))
            return
        kind = getattr(error, "kind", "network")
        self._log("network_error", {"kind": kind, "during": purpose})
        if self.state == UNPAIRING:
            self._unpaired()
        elif self.state == POLLING:
            wait = self._schedule.failure(now)
            self.screen = screens.pairing(self._code, self._schedule.deadline,
                                          screens.network_text(kind) + ", retrying")
            self._log("poll", {"outcome": "network", "next_in_ms": wait})
        elif self.state == PAIRED:
            self._session_outcome(now, self._session.on_failure(now, purpose))
        elif self.state in (DISCOVERING, REQUESTING):
            wait = self._retry_later(now)
            self.screen = screens.network(screens.network_text(kind), wait // 1000)

    def handle_button(self, now, long=False):
        if self.state == PAIRED and long:
            self._unpair(now)
            return
        if self.state in (DENIED_STATE, EXPIRED_STATE, NEEDS_AUTH, FAILED, CONFIG_ERROR):
            self._failures = 0
            self._retry_at = now
            if self.config.needs_discovery():
                self._go("rediscover")
                self.screen = screens.starting("Connecting")
            else:
                self._go("button")
                self.screen = screens.starting("Getting a code")

    def secrets(self):
        # Every secret the flow holds right now, for the owner's log filter.
        out = [self.config.client_secret]
        if self._code is not None:
            out.append(self._code.device_code)
        tokens = self._session.tokens if self._session else self._tokens
        if tokens is not None:
            out.extend((tokens.access_token, tokens.refresh_token, tokens.id_token))
        if self._revoke is not None:
            out.append(self._revoke[0])
        return [s for s in out if s]

    # -- transitions -----------------------------------------------------

    def _go(self, outcome):
        key = (self.state, outcome)
        if key not in TRANSITIONS:
            # Our own bug, not the server's: say which edge is missing.
            raise RuntimeError("no transition from %s on %s" % key)
        self.state = TRANSITIONS[key]
        self._log("state", {"state": self.state})

    def _log(self, event, fields):
        self._effects.append(("log", event, fields))

    def _take_in_flight(self):
        purpose = self._in_flight
        self._in_flight = None
        return purpose

    def _due(self, now, at):
        return at is not None and ticks_diff(now, at) >= 0

    def _retry_later(self, now, retry_after=None):
        self._failures += 1
        if retry_after is not None:
            wait = max(retry_after * 1000, _FIRST_TRY_BACKOFF_MS)
        else:
            wait = backoff_ms(_FIRST_TRY_BACKOFF_MS, self._failures, self.rand)
        self._retry_at = ticks_add(now, wait)
        return wait

    def _config_error(self, message):
        self._log("error", {"reason": "config", "message": message})
        self._drop_code()
        self._go("bad_config")
        self.screen = screens.config_error(message)

    def _refused(self, message):
        self._log("error", {"reason": "refused", "message": message})
        self._drop_code()
        self._go("refused")
        self.screen = screens.error(message)

    def _drop_code(self):
        self._code = None
        self._poll = None

    def _wipe(self):
        self._tokens = None
        self._session = None
        self._effects.append(("wipe",))

    def _unpair(self, now):
        # Long press: wipe the flash first (a power cut during revocation
        # must not leave the device paired), then revoke (RFC 7009) with the
        # token still in memory, where the server has an endpoint.
        tokens = self._session.tokens
        self._log("unpair", {})
        self._wipe()
        if self.config.revocation_endpoint:
            if tokens.refresh_token:
                self._revoke = (tokens.refresh_token, "refresh_token")
            else:
                self._revoke = (tokens.access_token, "access_token")
            self._retry_at = now
            self._go("unpair")
            self.screen = screens.starting("Unpairing")
        else:
            self._go("unpaired")
            self.screen = screens.needs_auth("Unpaired")

    def _unpaired(self):
        self._revoke = None
        self._go("revoked")
        self.screen = screens.needs_auth("Unpaired")

    # -- discovery and the device code -----------------------------------

    def _after_endpoints(self, now):
        if self._tokens is not None:
            from devflow.core.session import Session
            self._go("tokens")
            self._session = Session(self.config, self._tokens, now, self.rand, fresh=False)
            self.screen = screens.connected(self._tokens.name)
        else:
            self._go("no_tokens")
            self._retry_at = now
            self.screen = screens.starting("Getting a code")

    def _on_discovery(self, now, response, wall_s):
        answer = classify(response, wall_s)
        if answer.kind != OK:
            wait = self._retry_later(now, answer.retry_after)
            self.screen = screens.network("discovery failed", wait // 1000)
            return
        try:
            apply_discovery(self.config, answer.obj)
        except ConfigError as e:
            self._config_error(str(e))
            return
        self._failures = 0
        self._after_endpoints(now)

    def _on_code_response(self, now, response, wall_s):
        answer = classify(response, wall_s)
        if answer.kind == OK:
            try:
                code = parse_device_code(answer.obj, self.config.max_code_lifetime,
                                         self.config.verification_uri_hosts)
            except ProtocolError as e:
                # FAULTS 3-6, 13, 14: malformed; never poll, never show it.
                self._log("bad_response", {"during": "device_authorization", "why": str(e)})
                wait = self._retry_later(now)
                self.screen = screens.network("bad answer from server", wait // 1000)
                return
            self._begin_polling(now, code)
        elif answer.kind == CONFIG:
            self._config_error("server says " + safe_code(answer.code))
        elif answer.kind in (REDIRECT, OTHER, DENIED):
            self._refused("server says " + (safe_code(answer.code) if answer.code else "redirect"))
        else:
            wait = self._retry_later(now, answer.retry_after)
            self.screen = screens.network("server busy", wait // 1000)

    def _begin_polling(self, now, code):
        self._failures = 0
        self._code = code
        # The same Request (body bytes, header list) for every poll of this
        # code: rebuilding it per poll was most of a poll's allocation.
        self._poll = requests.token_poll(self.config, code.device_code)
        self._schedule = PollSchedule(code.interval_s, now, code.lifetime_s, self.rand)
        self._go("code")
        self.screen = screens.pairing(code, self._schedule.deadline)
        self._log("pairing_code", {
            "user_code": code.user_code,
            "verification_uri": code.verification_uri,
            "verification_uri_complete": code.verification_uri_complete or "",
            "expires_in": code.lifetime_s,
            "interval": code.interval_s,
        })

    # -- polling (RFC 8628 3.4, 3.5) ---------------------------------------

    def _poll_due(self, now):
        if self._schedule.expired(now):
            # The local deadline ends polling even if the server would keep
            # saying pending.
            self._expire()
            return None
        if ticks_diff(now, self._schedule.next_at) < 0:
            return None
        return self._poll

    def _expire(self):
        self._drop_code()
        self._go("expired")
        self.screen = screens.expired()

    def _on_poll_response(self, now, response, wall_s):
        answer = classify(response, wall_s)
        schedule = self._schedule
        kind = answer.kind
        if kind == PENDING:
            wait = schedule.pending(now)
        elif kind == SLOWER:
            server = whole_seconds((answer.obj or {}).get("interval"), round_up=True)
            wait = schedule.slow_down(now, server)
        elif kind == OK:
            self._paired(now, answer.obj, wall_s)
            return
        elif kind == DENIED:
            # "The authorization request was denied ... the client SHOULD
            # stop polling" (RFC 8628 3.5).
            self._log("poll", {"outcome": "denied"})
            self._drop_code()
            self._go("denied")
            self.screen = screens.denied()
            return
        elif kind == EXPIRED:
            self._log("poll", {"outcome": "expired"})
            self._expire()
            return
        elif kind == CONFIG:
            self._config_error("server says " + safe_code(answer.code))
            return
        elif kind in (REDIRECT, OTHER):
            self._refused("server says " + (safe_code(answer.code) if answer.code else "redirect"))
            return
        else:
            wait = schedule.failure(now, answer.retry_after)
        self._log("poll", {"outcome": answer.code or kind, "next_in_ms": wait,
                           "interval": schedule.interval_s})
        status = "Server busy, retrying" if schedule.failures else None
        if status != self.screen.status:
            # Only a changed status makes a new screen: a pending poll
            # allocates nothing here.
            self.screen = screens.pairing(self._code, schedule.deadline, status)

    def _paired(self, now, obj, wall_s):
        # The device code is spent whatever happens next: a success that we
        # cannot use must not be polled again (FAULTS 35).
        self._drop_code()
        from devflow.core.session import Session
        from devflow.core.tokens import parse_token_response
        try:
            tokens = parse_token_response(obj)
        except ProtocolError as e:
            self._log("error", {"reason": "token_unusable", "message": str(e)})
            self._go("unusable")
            self.screen = screens.needs_auth("Server sent no usable token")
            return
        tokens.name = self._identity(tokens.id_token, wall_s)
        self._tokens = tokens
        self._effects.append(("save", tokens))
        self._go("approved")
        self._session = Session(self.config, tokens, now, self.rand, fresh=True)
        self.screen = screens.connected(tokens.name)
        self._log("paired", {"name": tokens.name or ""})

    def _identity(self, id_token, wall_s):
        if id_token is None:
            return None
        from devflow.core.idtoken import trusted_name
        try:
            return trusted_name(id_token, self.config.issuer, self.config.client_id, wall_s)
        except ProtocolError as e:
            self._log("error", {"reason": "id_token", "message": str(e)})
            return None

    # -- paired: what the session reports ----------------------------------

    def _session_outcome(self, now, outcome):
        session = self._session
        for effect in session.effects():
            self._effects.append(effect)
        if outcome == "revoked":
            self._wipe()
            self._go("revoked")
            self.screen = screens.needs_auth("Sign-in ended by the server")
        elif outcome == "bad_config":
            self._config_error(session.error)
        else:
            self._tokens = session.tokens
            self.screen = screens.connected(session.name(), session.status)
