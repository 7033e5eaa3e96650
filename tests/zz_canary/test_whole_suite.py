"""Runs last (its folder sorts last): no secret that any authorization
server issued during the whole suite reached anything a board printed, on
the emulator or on the real MicroPython, raw, URL-encoded or base64."""


import pytest

from tests.support.canary import encodings


def test_no_secret_of_the_whole_suite_was_printed(secret_canary):
    secrets = [s for s in secret_canary.SECRETS if len(s) >= 8]
    if not secrets:
        pytest.skip("run with the whole suite: no authorization server ran before this test")
    printed = "\n".join(secret_canary.PRINTED)
    assert printed, "no board printed anything during the suite"
    leaked = [s[:4] + "..." for s in secrets for form in encodings(s) if form in printed]
    assert leaked == [], "secrets reached a board's output (first characters): %s" % leaked
