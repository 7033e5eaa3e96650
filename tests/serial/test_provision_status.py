"""provision, status and unpair against the virtual board and a real
discovery server on loopback (plain http, and https with a test CA)."""

import http.server
import json
import ssl
import threading
from pathlib import Path

import pytest
import trustme

from serial_support import cli, cli_env

WIFI_PASSWORD = "correct-horse-battery"
CLIENT_SECRET = "s3cr3t-client-value"


class _Metadata(http.server.BaseHTTPRequestHandler):
    issuer = None

    def do_GET(self):
        # Only RFC 8414's well-known path: discovery must fall back to it.
        if self.path != "/.well-known/oauth-authorization-server":
            self.send_error(404)
            return
        body = json.dumps({
            "issuer": self.issuer,
            "device_authorization_endpoint": self.issuer + "/device",
            "token_endpoint": self.issuer + "/token",
            "token_endpoint_auth_methods_supported": ["none", "client_secret_post"],
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(tls=None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Metadata)
    scheme = "http"
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    issuer = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    handler = type("Handler", (_Metadata,), {"issuer": issuer})
    server.RequestHandlerClass = handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, issuer


@pytest.fixture
def issuer():
    server, url = _serve()
    yield url
    server.shutdown()


def _provision(board, *extra):
    env = cli_env()
    env["DEVFLOW_WIFI_PASSWORD"] = WIFI_PASSWORD
    env["DEVFLOW_CLIENT_SECRET"] = CLIENT_SECRET
    return cli("provision", "--port", board.pty_path, "--wifi-ssid", "home", "--client-id", "tv-1",
               "--auth-method", "client_secret_post", "--scope", "openid profile", *extra, env=env)


def test_provision_round_trips_and_never_echoes_secrets(board, issuer):
    done = _provision(board, "--issuer", issuer)
    assert done.returncode == 0, done.stderr
    written = json.loads(Path(board.flash_dir, "devflow.json").read_text())
    assert written == {
        "wifi": {"ssid": "home", "password": WIFI_PASSWORD},
        "issuer": issuer,
        "device_authorization_endpoint": issuer + "/device",
        "token_endpoint": issuer + "/token",
        "client_id": "tv-1",
        "client_secret": CLIENT_SECRET,
        "token_endpoint_auth_method": "client_secret_post",
        "scope": "openid profile",
    }
    assert not list(Path(board.flash_dir).glob("*.new"))

    shown = cli("status", "--port", board.pty_path)
    for out in (done, shown):
        assert WIFI_PASSWORD not in out.stdout + out.stderr
        assert CLIENT_SECRET not in out.stdout + out.stderr
    assert shown.returncode == 0, shown.stderr
    assert '"client_id": "tv-1"' in shown.stdout and '"***"' in shown.stdout
    assert "paired:   no" in shown.stdout and "KB free" in shown.stdout


def test_status_and_unpair_follow_the_token_file(board):
    tokens = Path(board.flash_dir, "devflow_tokens.bin")
    tokens.write_bytes(b"\x01secret-tokens")
    info = json.loads(cli("status", "--json", "--port", board.pty_path).stdout)
    assert info["tokens"] is True and info["config"] is None
    assert "/devflow_tokens.bin" in info["files"]
    done = cli("unpair", "--port", board.pty_path)
    assert done.returncode == 0 and "token file deleted" in done.stdout
    assert not tokens.exists()
    again = cli("unpair", "--port", board.pty_path)
    assert again.returncode == 0 and "not paired" in again.stdout


def test_an_invalid_config_is_refused_and_nothing_is_written(board, issuer):
    assert _provision(board, "--issuer", issuer).returncode == 0
    before = Path(board.flash_dir, "devflow.json").read_bytes()
    env = cli_env()
    env["DEVFLOW_WIFI_PASSWORD"] = "short"
    done = cli("provision", "--port", board.pty_path, "--wifi-ssid", "home", "--issuer", issuer, env=env)
    assert done.returncode == 1
    assert done.stderr.startswith("devflow: the config is not valid, nothing was written")
    assert "wifi.password must be 8 to 63 characters" in done.stderr and "client_id is missing" in done.stderr
    assert Path(board.flash_dir, "devflow.json").read_bytes() == before
    assert not list(Path(board.flash_dir).glob("*.new"))


def test_https_discovery_checks_the_ca_bundle_it_will_write(board, tmp_path):
    ca = trustme.CA()
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(tls)
    server, url = _serve(tls)
    try:
        good, wrong = tmp_path / "ca.pem", tmp_path / "other.pem"
        ca.cert_pem.write_to_path(str(good))
        trustme.CA().cert_pem.write_to_path(str(wrong))
        refused = _provision(board, "--issuer", url, "--ca-file", wrong)
        assert refused.returncode == 1
        assert "TLS check failed" in refused.stderr
        assert not Path(board.flash_dir, "devflow.json").exists()
        done = _provision(board, "--issuer", url, "--ca-file", good)
        assert done.returncode == 0, done.stderr
    finally:
        server.shutdown()
    written = json.loads(Path(board.flash_dir, "devflow.json").read_text())
    assert written["ca_certs"] == good.read_text() and written["token_endpoint"] == url + "/token"
