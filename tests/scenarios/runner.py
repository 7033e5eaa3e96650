# Runs a protocol scenario (data) against the sans-I/O core with a fake
# clock. Written in the MicroPython subset: the same file runs under pytest
# (CPython) and under the real MicroPython unix port (mpy_main.py).
#
# A scenario is JSON:
#   config   overrides of DEFAULT_CONFIG
#   start    the tick value the clock starts at (try one just below the wrap)
#   rand     the jitter source's fixed value in [0, 1)
#   tokens   a stored token set at boot, or absent
#   steps    in order, each one of
#     {"at": ms, "request": purpose, "body": {...}, "headers": {...},
#      "reply": {"status": n, "json": obj | "body": text, "headers": {...}}}
#     {"at": ms, "request": purpose, "fail": network-error-kind}
#     {"at": ms, "press": true, "long": false}
#   end      {"advance_to": ms, "state": s, "screen": kind, "status": text,
#             "lines": [...], "saved": n, "wiped": n, "name": text}
# "at" is milliseconds since start and must match exactly: a request that
# comes earlier or later than the schedule says fails the scenario.
# In "json", {"$code": {...}} and {"$tokens": {...}} expand to a standard
# device authorization or token response with those fields changed (null
# removes a field).

import json

from devflow.core import screens
from devflow.core.config import parse_config
from devflow.core.errors import NetworkError
from devflow.core.flow import DeviceFlow
from devflow.core.form import decode
from devflow.core.ticks import ticks_add, ticks_diff
from devflow.core.tokens import TokenSet
from devflow.core.wire import Response

DEFAULT_CONFIG = {
    "device_authorization_endpoint": "https://as.example/device_authorization",
    "token_endpoint": "https://as.example/token",
    "client_id": "devflow-test",
    "scope": "openid profile offline_access",
}

CODE = {
    "device_code": "DEVICECODE-SECRET-1",
    "user_code": "WDJB-MJHT",
    "verification_uri": "https://as.example/device",
    "verification_uri_complete": "https://as.example/device?user_code=WDJB-MJHT",
    "expires_in": 600,
    "interval": 5,
}

TOKENS = {
    "access_token": "ACCESS-SECRET-1",
    "token_type": "Bearer",
    "expires_in": 3600,
    "refresh_token": "REFRESH-SECRET-1",
    "scope": "openid profile",
}


def _expand(value):
    if isinstance(value, dict) and len(value) == 1:
        for macro, base in (("$code", CODE), ("$tokens", TOKENS)):
            if macro in value:
                out = dict(base)
                for k in value[macro]:
                    if value[macro][k] is None:
                        out.pop(k, None)
                    else:
                        out[k] = value[macro][k]
                return out
    return value


def _response(reply):
    headers = {}
    for k in reply.get("headers", {}):
        headers[k.lower()] = reply["headers"][k]
    if "json" in reply:
        body = json.dumps(_expand(reply["json"])).encode()
    else:
        body = reply.get("body", "").encode()
    # As the http adapter hands it: a view of a writable receive buffer.
    return Response(reply.get("status", 200), headers, memoryview(bytearray(body)))


class Run:
    def __init__(self, scenario):
        self.scenario = scenario
        values = dict(DEFAULT_CONFIG)
        for k in scenario.get("config", {}):
            if scenario["config"][k] is None:
                values.pop(k, None)
            else:
                values[k] = scenario["config"][k]
        self.config = parse_config(values)
        rand_value = scenario.get("rand", 0.0)
        self.start = scenario.get("start", 0)
        self.now = self.start
        stored = scenario.get("tokens")
        tokens = None
        if stored:
            tokens = TokenSet(stored["access_token"], stored.get("refresh_token"),
                              None, 3600, None, stored.get("name"))
        self.flow = DeviceFlow(self.config, lambda: rand_value, tokens)
        self.logs = []
        self.saved = []
        self.wiped = 0
        self.requests = []
        self.flow.start(self.now)
        self._drain()

    def _drain(self):
        for effect in self.flow.effects():
            if effect[0] == "save":
                self.saved.append(effect[1])
            elif effect[0] == "wipe":
                self.wiped += 1
            else:
                self.logs.append((effect[1], effect[2]))

    def elapsed(self):
        return ticks_diff(self.now, self.start)

    def advance_to(self, at):
        # Let timers fire up to `at`; none of them may send a request.
        target = ticks_add(self.start, at)
        while True:
            wake = self.flow.wake_at()
            if wake is None or ticks_diff(wake, target) > 0:
                break
            if ticks_diff(wake, self.now) > 0:
                self.now = wake
            request = self.flow.request_due(self.now)
            self._drain()
            if request is not None:
                raise AssertionError("unexpected %s request at %d ms" % (request.purpose, self.elapsed()))
            if self.flow.wake_at() == wake:
                # Woken for nothing, and told to wake at the same time
                # again: a board's loop would spin without sleeping.
                raise AssertionError("wake_at %d ms has nothing due (state %s): the loop would spin"
                                     % (ticks_diff(wake, self.start), self.flow.state))
        self.now = target

    def next_request(self):
        wake = self.flow.wake_at()
        if wake is None:
            raise AssertionError("no request is scheduled (state %s)" % self.flow.state)
        if ticks_diff(wake, self.now) > 0:
            self.now = wake
        request = self.flow.request_due(self.now)
        self._drain()
        if request is None:
            raise AssertionError("expected a request at %d ms, state is %s" % (self.elapsed(), self.flow.state))
        self.requests.append(request)
        return request


def _check_request(step, request, elapsed):
    if request.purpose != step["request"]:
        raise AssertionError("expected a %s request, got %s" % (step["request"], request.purpose))
    if "at" in step and elapsed != step["at"]:
        raise AssertionError("%s request at %d ms, expected at %d ms" % (request.purpose, elapsed, step["at"]))
    if "body" in step:
        body = decode(request.body or b"")
        for k in step["body"]:
            want = step["body"][k]
            if want is None:
                if k in body:
                    raise AssertionError("body has '%s', expected it absent" % k)
            elif body.get(k) != want:
                raise AssertionError("body '%s' is %r, expected %r" % (k, body.get(k), want))
    for k in step.get("headers", {}):
        want = step["headers"][k]
        got = next((v for name, v in request.headers if name.lower() == k.lower()), None)
        if got != want:
            raise AssertionError("header '%s' is %r, expected %r" % (k, got, want))


def _check_end(run, end):
    flow = run.flow
    if "advance_to" in end:
        run.advance_to(end["advance_to"])
    if "state" in end and flow.state != end["state"]:
        raise AssertionError("end state %s, expected %s" % (flow.state, end["state"]))
    screen = flow.screen
    if "screen" in end and screen[screens.KIND] != end["screen"]:
        raise AssertionError("end screen %s, expected %s" % (screen[screens.KIND], end["screen"]))
    if "status" in end and screen[screens.STATUS] != end["status"]:
        raise AssertionError("screen status %r, expected %r" % (screen[screens.STATUS], end["status"]))
    if "lines" in end and list(screen[screens.LINES]) != end["lines"]:
        raise AssertionError("screen lines %r, expected %r" % (screen[screens.LINES], end["lines"]))
    if "saved" in end and len(run.saved) != end["saved"]:
        raise AssertionError("%d token saves, expected %d" % (len(run.saved), end["saved"]))
    if "wiped" in end and run.wiped != end["wiped"]:
        raise AssertionError("%d wipes, expected %d" % (run.wiped, end["wiped"]))
    if "idle" in end and (flow.wake_at() is None) != end["idle"]:
        raise AssertionError("wake_at is %r, idle expected %r" % (flow.wake_at(), end["idle"]))
    if "user_code" in end and screen[screens.CODE] != end["user_code"]:
        raise AssertionError("screen code %r, expected %r" % (screen[screens.CODE], end["user_code"]))
    if "uri_complete" in end and screen[screens.COMPLETE] != end["uri_complete"]:
        raise AssertionError("screen complete URI %r, expected %r"
                             % (screen[screens.COMPLETE], end["uri_complete"]))


SECRETS = ("DEVICECODE-SECRET", "ACCESS-SECRET", "REFRESH-SECRET", "client-secret-")


def _check_no_secret(run):
    # The canary: nothing the flow logs or shows may hold a secret.
    texts = [screens.text(run.flow.screen)]
    for event, fields in run.logs:
        texts.append(event + " " + " ".join(str(fields[k]) for k in fields))
    for text in texts:
        for secret in SECRETS:
            if secret in text:
                raise AssertionError("a secret reached a log line or the screen")


def run_scenario(scenario):
    # Returns None on success, else a message saying what differed.
    try:
        run = Run(scenario)
        for index, step in enumerate(scenario.get("steps", [])):
            try:
                if "press" in step:
                    run.advance_to(step["at"])
                    run.flow.handle_button(run.now, step.get("long", False))
                    run._drain()
                    continue
                request = run.next_request()
                _check_request(step, request, run.elapsed())
                if "fail" in step:
                    run.flow.handle_failure(run.now, NetworkError(step["fail"]))
                else:
                    run.flow.handle_response(run.now, _response(step["reply"]),
                                             step.get("wall"))
                run._drain()
                turns = 0
                while run.flow.state == "approved":
                    # The owner's next two turns come at once and send
                    # nothing: they take up the approved tokens (the ID
                    # token's check, then session.begin).
                    turns += 1
                    if (turns > 2 or run.flow.wake_at() != run.now
                            or run.flow.request_due(run.now) is not None):
                        raise AssertionError("the approved tokens were not taken up at once")
                    run._drain()
            except AssertionError as e:
                raise AssertionError("step %d: %s" % (index + 1, e))
        _check_end(run, scenario.get("end", {}))
        _check_no_secret(run)
    except AssertionError as e:
        return str(e)
    return None
