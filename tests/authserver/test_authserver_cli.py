"""The command line, as `make run` uses it: one line out, then serve until
Ctrl-C. And the promise that no secret reaches a log."""

import logging
import os
import signal
import ssl
import subprocess
import sys
import urllib.request

import pytest

from host_tools.authserver.user_agent import complete_device_flow

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("extra, stop", [
    ([], signal.SIGINT), (["--tls"], signal.SIGINT), ([], signal.SIGTERM)])
def test_cli_prints_its_url_and_stops_on_a_signal(tmp_path, extra, stop):
    args = [sys.executable, "-m", "host_tools.authserver", "--port", "0",
            "--certs-dir", str(tmp_path), *extra]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().split()
        if extra:
            url, ca = line
            assert url.startswith("https://localhost:") and ca == str(tmp_path / "ca.pem")
            context = ssl.create_default_context(cafile=ca)
        else:
            (url,) = line
            assert url.startswith("http://127.0.0.1:")
            context = None
        with urllib.request.urlopen(url + "/.well-known/openid-configuration",
                                    context=context, timeout=10) as response:
            assert response.status == 200
    finally:
        proc.send_signal(stop)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err


def test_cli_rejects_a_bad_code_length():
    proc = subprocess.run([sys.executable, "-m", "host_tools.authserver", "--code-length", "4"],
                          cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2 and "code_length" in proc.stderr


def test_no_secret_reaches_the_log(make_server, run_flow, caplog):
    caplog.set_level(logging.DEBUG)
    server, http = make_server(tls=True, token_endpoint_auth_method="client_secret_post",
                               rotate_refresh=True)
    _, device, _ = http.device_authorize()
    complete_device_flow(device["verification_uri"], device["user_code"],
                         cafile=server.ca_pem_path)
    tokens = http.poll(device["device_code"])[1]
    refreshed = http.refresh(tokens["refresh_token"])[1]
    http.userinfo(refreshed["access_token"])
    http.revoke(refreshed["refresh_token"])
    secrets = [device["device_code"], tokens["access_token"], tokens["refresh_token"],
               refreshed["access_token"], refreshed["refresh_token"], server.client_secret]
    text = caplog.text + repr(server.events.snapshot())
    assert "token" in caplog.text  # the log did record the requests
    for secret in secrets:
        assert secret not in text
