"""The app loop under faults the core cannot see: memory running out,
flash failing, a config that is wrong. Nothing escapes the loop, nothing
is lost, and every message names what is wrong without a secret."""

import json
import random

import pytest

from tests.soak.harness import CONFIG, Device, StrictServer, VirtualClock

import app as app_module  # noqa: E402  (agent/ is on the path via the harness)
from tests.storage.flash import Flash


class MemoryHungryServer(StrictServer):
    """Runs out of memory on a random share of requests, as a board does
    when a TLS handshake or a JSON parse needs more heap than is free."""

    def __init__(self, clock, rng, rate):
        super().__init__(clock, rng, failure_rate=0)
        self.rate = rate
        self.memory_errors = 0

    def perform(self, request):
        if self.rng.random() < self.rate:
            self.memory_errors += 1
            raise MemoryError("injected")
        return super().perform(request)


def run(device, clock, turns):
    for _ in range(turns):
        wait = device.app.step()
        clock.wait(60000 if wait is None else wait, lambda: False)


def test_memory_errors_are_caught_at_the_task_boundary_and_pairing_completes():
    clock = VirtualClock()
    server = MemoryHungryServer(clock, random.Random(63), rate=0.3)
    device = Device(server, clock, Flash())
    run(device, clock, 400)
    assert server.memory_errors > 20
    assert device.app.flow.state == "paired"
    assert any("kind=memory" in line for line in device.lines)


def test_memory_errors_anywhere_in_a_turn_never_escape_the_loop():
    # Not only the request: loading the session after approval, a screen
    # or a log line can run out of heap too. The turn is tried again.
    clock = VirtualClock()
    device = Device(StrictServer(clock, random.Random(64), failure_rate=0), clock, Flash())
    flow = device.app.flow
    real_request_due = flow.request_due
    raised = []

    def hungry_request_due(now):
        # The first turn in every state runs out of heap.
        if flow.state not in raised:
            raised.append(flow.state)
            raise MemoryError("injected")
        return real_request_due(now)

    flow.request_due = hungry_request_due
    run(device, clock, 200)
    assert raised == ["requesting", "polling", "approved", "paired"]
    assert flow.state == "paired"
    assert device.stored_refresh_token() is not None


def test_flash_full_keeps_the_tokens_in_memory_and_the_device_paired():
    clock = VirtualClock()
    flash = Flash(full_after=10)      # nothing fits
    device = Device(StrictServer(clock, random.Random(59), failure_rate=0), clock, flash)
    run(device, clock, 50)
    assert device.app.flow.state == "paired"
    assert device.app.storage_errors >= 1
    assert any("devflow: storage" in line and "errno=28" in line for line in device.lines)


def test_a_failed_token_write_is_retried_until_it_lands():
    clock = VirtualClock()
    flash = Flash(full_after=10)
    device = Device(StrictServer(clock, random.Random(60), failure_rate=0), clock, flash)
    run(device, clock, 5)
    failures = device.app.storage_errors
    assert failures >= 1 and device.stored_refresh_token() is None
    flash.full_after = None                     # space comes back
    run(device, clock, 3)
    assert device.stored_refresh_token() == device.app.flow._tokens.refresh_token
    assert device.app.storage_errors == failures


class HungryWriteFlash(Flash):
    """The heap runs out once, as the first token write opens its file."""

    def __init__(self):
        super().__init__()
        self.hungry = True

    def open(self, path, mode):
        if self.hungry and "w" in mode:
            self.hungry = False
            raise MemoryError("injected")
        return super().open(path, mode)


def test_a_token_write_the_heap_had_no_room_for_is_retried():
    # FAULTS 63: the MemoryError is caught by step, and the tokens it did
    # not write are still owed: the next turn writes them.
    clock = VirtualClock()
    flash = HungryWriteFlash()
    device = Device(StrictServer(clock, random.Random(61), failure_rate=0), clock, flash)
    turns = 0
    while flash.hungry and turns < 20:
        run(device, clock, 1)
        turns += 1
    assert not flash.hungry and device.stored_refresh_token() is None
    run(device, clock, 1)
    assert device.app.flow.state == "paired"
    assert device.stored_refresh_token() is not None
    assert not any("refresh" in line for line in device.lines)   # the pairing's own tokens
    assert device.app.storage_errors == 0


def test_a_line_holding_a_secret_is_never_printed():
    clock = VirtualClock()
    device = Device(StrictServer(clock, random.Random(66), failure_rate=0), clock, Flash())
    run(device, clock, 20)
    tokens = device.app.flow._tokens
    for secret in (tokens.access_token, tokens.refresh_token):
        device.app.log("oops", {"leak": secret})
        assert secret not in device.lines[-1]
        assert "redacted" in device.lines[-1]
    device.app.log("fine", {"state": "paired"})
    assert "redacted" not in device.lines[-1]


@pytest.mark.parametrize("content, key", [
    (None, "is missing"),
    ("{not json", "not valid JSON"),
    ('{"client_id": "' + "x" * 17000 + '"}', "too large"),
    (json.dumps({"client_id": "x"}), "'issuer'"),
    (json.dumps(dict(CONFIG, client_idd="x")), "'client_idd'"),
    (json.dumps({k: v for k, v in CONFIG.items() if k != "client_id"}), "'client_id'"),
    (json.dumps(dict(CONFIG, token_endpoint="http://as.example/token")), "'token_endpoint'"),
    (json.dumps(dict(CONFIG, token_endpoint_auth_method="client_secret_basic")), "'client_secret'"),
    (json.dumps(dict(CONFIG, client_secret="s3cr3t-value", token_endpoint_auth_method="magic")),
     "'token_endpoint_auth_method'"),
    (json.dumps([1, 2]), "JSON object"),
])
def test_bad_config_gets_one_clear_message(tmp_path, content, key):
    path = tmp_path / "devflow.json"
    if content is not None:
        path.write_text(content)
    printed = []
    app, problem = app_module.make_app(object(), lambda c: None, VirtualClock(), str(path),
                                       str(tmp_path / "t.bin"), out=printed.append)
    assert app is None
    assert key in problem
    assert "s3cr3t" not in problem and len(printed) == 1


def test_https_without_ca_certs_is_a_config_error_on_screen_not_a_crash():
    from devflow.adapters.http import HttpClient
    from devflow.core.config import parse_config
    clock = VirtualClock()
    printed = []
    app = app_module.App(object(), parse_config(dict(CONFIG)), HttpClient(ca_data=None),
                         ("/t.bin", Flash()), clock, out=printed.append)
    app.start()
    app.step()
    assert app.flow.state == "config_error"
    assert any("'ca_certs'" in line for line in app.flow.screen[app_module.screens.LINES])
    assert any("reason=config" in line for line in printed)


def _heap_full_for_token_answers(monkeypatch, times):
    # The JSON parser runs out of memory on the first `times` token
    # answers (after reading them, as a full heap would): the texts it
    # failed on, in a list.
    from devflow.core import body
    real_json = body.json
    raised = []

    class HungryJson:
        @staticmethod
        def loads(text):
            value = real_json.loads(text)
            if len(raised) < times and isinstance(value, dict) and "access_token" in value:
                raised.append(text)
                raise MemoryError("injected")
            return value

    monkeypatch.setattr(body, "json", HungryJson)
    return raised


def test_a_token_answer_read_when_the_heap_is_full_still_pairs(monkeypatch):
    # FAULTS 63: the heap runs out while the body of the approved token
    # answer is parsed. The server has spent the device code (polling again
    # gets invalid_grant), so the same answer is read again after a
    # collection, rather than taken for an unreadable body.
    raised = _heap_full_for_token_answers(monkeypatch, 1)
    clock = VirtualClock()
    device = Device(StrictServer(clock, random.Random(67), failure_rate=0), clock, Flash())
    run(device, clock, 50)
    assert raised
    assert device.app.flow.state == "paired"
    assert device.stored_refresh_token() is not None
    assert not any("kind=memory" in line for line in device.lines)


def test_the_log_filter_knows_every_secret_the_flow_holds():
    from devflow.core import flow as flow_module
    from devflow.core.config import parse_config
    from devflow.core.tokens import TokenSet
    settings = parse_config(dict(CONFIG, client_secret="s3cr3t-value",
                                 token_endpoint_auth_method="client_secret_post"))
    f = flow_module.DeviceFlow(settings, lambda: 0.5)
    f._code = "the-device-code"
    assert f.leaks("x=s3cr3t-value") and f.leaks("code=the-device-code")
    assert not f.leaks("state=polling")
    f._tokens = TokenSet("at-1", "rt-1", "id-1")
    assert f.leaks("at-1") and f.leaks("rt-1") and f.leaks("id-1")
    assert not f.leaks("state=paired")


def test_an_answer_the_heap_has_no_room_for_twice_is_a_failed_request(monkeypatch):
    # The retry is once: then the answer counts as a failed request, as
    # before, and the flow polls again on its own schedule (here the
    # server has spent the code: the pairing is lost).
    raised = _heap_full_for_token_answers(monkeypatch, 2)
    clock = VirtualClock()
    device = Device(StrictServer(clock, random.Random(68), failure_rate=0), clock, Flash())
    run(device, clock, 50)
    assert len(raised) == 2
    assert sum("kind=memory" in line and "during=token" in line for line in device.lines) == 1
    assert device.app.flow.state == "expired"
