"""The emulator, given only a config file, pairs with servers that differ
the way real ones do: client authentication none, basic and post; with and
without `interval` and `verification_uri_complete`; one that answers
slow_down and 503 with Retry-After. No poll ever comes early."""

import pytest

from host_tools.authserver.user_agent import complete_device_flow

from .conftest import device_config
from .test_pairing import _assert_polls_respect_interval, _token_polls

VARIANTS = {
    "auth_none": dict(token_endpoint_auth_method="none"),
    "auth_basic": dict(token_endpoint_auth_method="client_secret_basic", client_secret="basic-secret-1"),
    "auth_post": dict(token_endpoint_auth_method="client_secret_post", client_secret="post-secret-1"),
    "no_complete_uri": dict(complete_uri=False),
    "digits_12": dict(charset="digits", code_length=12),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_pairs_with_server_variant(make_server, boot_board, tmp_path, name):
    server = make_server(**VARIANTS[name])
    extra = {}
    if server.client_secret:
        extra = {"client_secret": server.client_secret,
                 "token_endpoint_auth_method": server.token_endpoint_auth_method}
    board = boot_board(device_config(server, tmp_path, **extra))
    fields = board.pairing_fields()
    if name == "no_complete_uri":
        assert fields["verification_uri_complete"] == ""
    url = fields["verification_uri_complete"] or fields["verification_uri"]
    assert complete_device_flow(url, fields["user_code"]) == "approved"
    assert board.finish() == 0
    methods = {e.get("client_auth") for e in server.events.snapshot() if e.get("endpoint") == "token"}
    assert methods == {server.token_endpoint_auth_method}
    _assert_polls_respect_interval(server, 1)


def test_default_interval_when_the_server_sends_none(make_server, boot_board, tmp_path):
    # Without `interval` the server enforces 5 s and the device must use it.
    server = make_server(include_interval=False)
    board = boot_board(device_config(server, tmp_path))
    fields = board.pairing_fields()
    assert fields["interval"] == "5"
    assert board.emulator.wait_for(lambda e: len(_token_polls(server)) >= 2, 20)
    _assert_polls_respect_interval(server, 5)
    assert all(e.get("outcome") != "slow_down" for e in server.events.snapshot())
    assert complete_device_flow(fields["verification_uri"], fields["user_code"]) == "approved"
    assert board.finish() == 0


def test_slow_down_and_retry_after_are_obeyed(make_server, boot_board, tmp_path):
    server = make_server(interval=1)
    board = boot_board(device_config(server, tmp_path))
    fields = board.pairing_fields()
    server.inject_failures(1, status=400, error="slow_down")
    assert board.emulator.wait_for(lambda e: any("outcome=slow_down" in l for l in e.lines), 20)
    server.inject_failures(1, status=503, error="temporarily_unavailable", retry_after=2)
    assert board.emulator.wait_for(lambda e: any("outcome=temporarily_unavailable" in l for l in e.lines), 30)
    before = len(_token_polls(server))
    assert board.emulator.wait_for(lambda e: len(_token_polls(server)) > before, 30)
    polls = _token_polls(server)
    # After slow_down the interval is 1 + 5 = 6 s; after the 503 at least
    # Retry-After (2 s) and never less than the interval.
    gaps = [b["t"] - a["t"] for a, b in zip(polls, polls[1:])]
    assert gaps[-1] >= 6 and gaps[-2] >= 6
    assert complete_device_flow(fields["verification_uri"], fields["user_code"]) == "approved"
    assert board.finish() == 0
