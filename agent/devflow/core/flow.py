# The device flow as a sans-I/O state machine (RFC 8628).
#
# Theory of operation
# -------------------
# The state of the flow lives in this object, and every allowed change of it
# is one line of _TRANSITIONS below, taken by _go(). The flow never touches a
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
# in flight at most. The steps of pairing (the device code, the polls, the
# token answer) are in authorization.py, which takes this table's edges
# through _go(); while paired, refresh and API calls are session.py's
# business, whose functions move this table by what the answers say.
#
# Those modules are not imported here: authorization.py (with tokens.py)
# when the flow starts without tokens (and again for a new pairing), so the
# owner can drop it once paired (app.forget) and a board that boots paired
# never loads it; session.py once paired, so it is not in the heap beside
# the QR code while a code is polled. Pairing ends over three turns: the
# token answer is checked and kept ("approved", due at once); the next turn,
# without the pairing steps, checks the ID token (idtoken.check); the one
# after, without idtoken.py, starts the session and saves (session.begin).
# The state of being paired (the tokens, when to refresh, ...) is kept on
# this object too, by session.py, which says what each attribute holds.

from micropython import const

# Modules, not names: one import line costs far less in a .mpy than many.
# requests.py is not among them: it is imported where a request is built
# (here and in session.py) and the owner drops it before the request is
# sent, so it is not in the heap between requests.
from devflow.core import body, classify, config, errors, screens, ticks

# Every transition, one a line: "from-states outcome next-state", where
# from-states is a comma-separated list of the states the outcome may move
# to next-state. _go() refuses any other move, so a bug shows at once rather
# than as a wrong screen later. Staying put (pending, a retry) is not a
# transition. The waiting states (denied, expired, needs_auth, failed,
# config_error) only leave on a button press (RFC 8628 3.1: after expiry or
# denial a new code is asked for on user action). One string: a table in
# flash, not objects in the heap.
_TRANSITIONS = """
start discover discovering
start,discovering no_tokens requesting
start,discovering,approved tokens paired
requesting code polling
polling approved approved
polling denied denied
polling expired expired
polling unusable needs_auth
paired,unpairing revoked needs_auth
paired unpaired needs_auth
paired unpair unpairing
start,discovering,requesting,polling,paired bad_config config_error
requesting,polling refused failed
denied,expired,needs_auth,failed,config_error button requesting
denied,expired,needs_auth,failed,config_error rediscover discovering
"""

_BACKOFF_CAP_MS = const(60000)    # FAULTS: backoff capped at 60 s
# What is read of a discovery document: config.apply_discovery's members
# and classify's "error". A real one has 20-40 members; json builds only
# these (see body.parse_object).
_DISCOVERY_READS = const(b" issuer device_authorization_endpoint token_endpoint"
                         b" userinfo_endpoint revocation_endpoint error ")


class DeviceFlow:
    def __init__(self, config, rand, tokens=None):
        self.config = config
        self.rand = rand
        self.state = "start"
        self.screen = screens.make("starting")
        self._effects = []
        self._tokens = tokens
        self._code = None       # polling: the device code (a secret)
        self._poll = None       # built once per code: the token poll, or the revocation
        self._in_flight = None
        self._at = None         # ticks when the next request is due; None: none is
        self._deadline = None   # polling: the code's local expiry
        self._interval = 0      # polling: seconds, only ever grows
        self._failures = 0      # consecutive, for backoff
        self._wall_s = None     # approved: the wall clock when the tokens came; False once checked
        # Paired: session.py's (it says what they hold). Made here, so that
        # this object's attribute table has its full size from boot on, low
        # in the heap, rather than growing into a new one later.
        self._name = self._status = None
        self._access_until = self._refresh_at = self._api_at = None
        self._api_401 = 0
        if tokens is None:
            # Pairing comes next: its steps are loaded now, at boot, where
            # the import leaves no holes in the heap that the QR code's
            # encoding then cannot use.
            import devflow.core.authorization

    # -- the owner's API -------------------------------------------------

    def start(self, now):
        if self.config.needs_discovery():
            self._go("discover", "discovering", screens.make("starting", "Connecting"), now)
        else:
            self._after_endpoints(now)

    def effects(self):
        out = self._effects
        if out:
            self._effects = []
        return out

    def wake_at(self):
        if self._in_flight:
            return None
        if self.state == "paired":
            from devflow.core.session import wake_at
            return wake_at(self)
        if self.state == "polling" and ticks.ticks_diff(self._at, self._deadline) > 0:
            return self._deadline   # never past the deadline: wake for it instead
        return self._at

    def request_due(self, now):
        if self._in_flight:
            return None
        state = self.state
        if state == "paired":
            from devflow.core.session import due
            request = due(self, now)
        elif state == "polling" and ticks.ticks_diff(now, self._deadline) >= 0:
            # The local deadline ends polling even if the server would keep
            # saying pending.
            self._stop("expired")
            return None
        elif self._at is None or ticks.ticks_diff(now, self._at) < 0:
            return None
        elif state == "approved":
            # Two turns, so that no turn holds both: the ID token's check,
            # then the session and the save.
            if self._wall_s is not False:
                # session.py first, which stays: it is then not inside the
                # room that idtoken.py leaves when the owner drops it.
                import devflow.core.session
                from devflow.core.idtoken import check
                return check(self)
            from devflow.core.session import begin
            return begin(self)
        else:
            request = self._poll    # polling, unpairing: built once
            if request is None:
                from devflow.core import requests
                settings = self.config
                if state == "discovering":
                    # OIDC discovery (RFC 8414 3 names the same document).
                    request = requests.api_get(settings.issuer.rstrip("/")
                                               + "/.well-known/openid-configuration")
                elif state == "requesting":
                    request = requests.device_authorization(settings)
                else:
                    # The first poll of a code. Every later poll sends this
                    # same Request (body bytes, header list): rebuilding it
                    # per poll was most of a poll's allocation.
                    request = self._poll = requests.token_poll(settings, self._code)
        if request is not None:
            self._in_flight = request.purpose
        return request

    def handle_response(self, now, response, wall_s=None):
        # response None: the request failed in transit (handle_failure
        # logged how), for the two states that take that like an answer.
        # FAULTS 63: a MemoryError while the answer is handled leaves the
        # flow as it was before it (what the handling clears first is put
        # back), so that the owner can hand the same answer in once more
        # after a collection: a token answer lost to a full heap would
        # lose the pairing (the server has spent the device code).
        purpose = self._in_flight
        device_code = self._code
        poll = self._poll
        self._in_flight = None
        try:
            state = self.state
            if state == "paired":
                from devflow.core.session import answered
                answered(self, now, purpose, response, wall_s)
                return
            if state == "unpairing":
                # RFC 7009 2.2: the answer, if any, does not matter to the
                # client; the tokens are already gone from flash.
                self._poll = self._tokens = None
                self._go("revoked", "needs_auth", screens.make("needs_auth", "Unpaired"))
                return
            # Compares, not `in` a tuple: a tuple constant (and each string in
            # it that is not a name) is an object the module keeps for good.
            if state != "discovering" and state != "requesting" and state != "polling":
                return      # an answer no state waits for any more
            if state == "polling":
                # The ID token is read for its claims only (idtoken.py).
                body.trim_id_token(response.body, True)
            kind, obj, code, retry_after = classify.classify(
                response, wall_s, _DISCOVERY_READS if state == "discovering" else None)
            if kind == "ok":
                if state == "discovering":
                    try:
                        config.apply_discovery(self.config, obj)
                    except errors.ConfigError as e:
                        self._fail(True, str(e))
                        return
                    self._failures = 0
                    self._after_endpoints(now)
                elif state == "requesting":
                    from devflow.core.authorization import begin_polling
                    begin_polling(self, now, obj)
                else:
                    from devflow.core.authorization import approved
                    approved(self, now, obj, wall_s)
            elif state == "discovering":
                self._retry(now, "discovery failed", retry_after)
            elif (kind == "config" or kind == "redirect" or kind == "other"
                  or (kind == "denied" and state == "requesting")):
                self._fail(kind == "config", "server says "
                           + (classify.safe_code(code) if code else "redirect"))
            elif state == "requesting":
                self._retry(now, "server busy", retry_after)
            else:
                from devflow.core.authorization import poll_answered
                poll_answered(self, now, kind, obj, code, retry_after)
        except MemoryError:
            self._in_flight = purpose
            self._code = device_code
            self._poll = poll
            raise

    def handle_failure(self, now, error):
        # error: a NetworkError (its kind, args[0], is not secret) or a ConfigError
        # raised by the transport (plain http to a remote host).
        if isinstance(error, errors.ConfigError):
            self._in_flight = None
            self._fail(True, str(error))
            return
        kind = error.args[0]
        self._log("network_error", {"kind": kind, "during": self._in_flight})
        state = self.state
        if state == "paired" or state == "unpairing":
            self.handle_response(now, None)
            return
        self._in_flight = None
        if state == "polling":
            from devflow.core.authorization import poll_answered
            poll_answered(self, now, "network", None, kind, None)
        elif state == "discovering" or state == "requesting":
            self._retry(now, screens.network_text(kind))

    def handle_button(self, now, long=False):
        state = self.state
        if state == "paired":
            if long:
                from devflow.core.session import unpair
                unpair(self, now)
        elif self._allowed("button", "requesting"):
            # A waiting state: the table's line for a press says which.
            self._failures = 0
            if self.config.needs_discovery():
                self._go("rediscover", "discovering", screens.make("starting", "Connecting"), now)
            else:
                self._go("button", "requesting", screens.make("starting", "Getting a code"), now)

    def leaks(self, line):
        # Whether a secret the flow holds right now is in this text: the
        # owner's log filter, called for every log line, so it allocates
        # nothing (no list or tuple of the secrets). True, or a false value.
        secret = self.config.client_secret
        code = self._code
        tokens = self._tokens
        access = renew = identity = None
        if tokens:
            access, renew, identity = tokens.access_token, tokens.refresh_token, tokens.id_token
        return (secret and secret in line or code and code in line
                or access and access in line or renew and renew in line
                or identity and identity in line)

    # -- transitions -----------------------------------------------------

    def _allowed(self, outcome, state):
        # Whether the table has this edge from the current state. The line
        # is found by its unique " outcome next-state" ending.
        end = _TRANSITIONS.find(" %s %s\n" % (outcome, state))
        start = _TRANSITIONS.rfind("\n", 0, end) + 1
        return end >= 0 and self.state in _TRANSITIONS[start:end].split(",")

    def _go(self, outcome, state, screen, at=None):
        # Take an edge of the table above; show `screen`; the next request
        # is due at `at` (None: none until a press or the session says so).
        if not self._allowed(outcome, state):
            raise RuntimeError("no transition %s --%s--> %s" % (self.state, outcome, state))
        self.state = state
        self.screen = screen
        self._at = at
        self._log("state", {"state": state})

    def _log(self, event, fields):
        self._effects.append(("log", event, fields))

    def _later(self, now, floor, retry_after=None):
        # Transport trouble: "the client MUST reduce its polling frequency
        # ... exponential backoff is RECOMMENDED" (RFC 8628 3.5). A longer
        # Retry-After wins; nothing comes sooner than `floor` (ms).
        self._failures += 1
        if retry_after is None:
            # Double from the floor on each consecutive failure, capped, then
            # up to +25 % jitter so a fleet that lost the server together
            # does not come back in step.
            wait = floor
            for _ in range(min(self._failures, 8)):
                wait *= 2
                if wait >= _BACKOFF_CAP_MS:
                    wait = _BACKOFF_CAP_MS
                    break
            wait = min(wait + int(wait * self.rand() / 4), _BACKOFF_CAP_MS)
        else:
            wait = retry_after * 1000
        if wait < floor:
            wait = floor
        self._at = ticks.ticks_add(now, wait)
        return wait

    def _retry(self, now, detail, retry_after=None):
        # No device code yet, so no interval: back off from 5 s.
        self.screen = screens.make("network", detail, "Retrying in %d s"
                                   % (self._later(now, 5000, retry_after) // 1000))

    def _fail(self, bad_config, message):
        # A setting is wrong, or the server refused us: shown, then wait
        # for a press.
        self._log("error", {"reason": "config" if bad_config else "refused", "message": message})
        self._code = self._poll = None
        if bad_config:
            self._go("bad_config", "config_error", screens.make("config_error", message))
        else:
            self._go("refused", "failed", screens.make("error", message))

    def _stop(self, outcome):
        # Polling ends: denied or expired.
        self._code = self._poll = None
        self._go(outcome, outcome, screens.make(outcome))

    # -- after discovery: the stored tokens, or a device code --------------

    def _after_endpoints(self, now):
        if self._tokens is None:
            self._go("no_tokens", "requesting", screens.make("starting", "Getting a code"), now)
        else:
            from devflow.core.session import resume
            resume(self, now)
