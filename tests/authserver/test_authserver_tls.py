"""TLS: the CA file works, and a client refuses a foreign CA or wrong name."""

import os
import ssl
import urllib.error
import urllib.request

import pytest


def _get(url, cafile):
    context = ssl.create_default_context(cafile=cafile)
    with urllib.request.urlopen(url + "/.well-known/openid-configuration",
                                context=context, timeout=10) as response:
        return response.status


def test_ca_files_are_written_to_certs_dir(make_server, tmp_path):
    server, _ = make_server(tls=True, certs_dir=str(tmp_path / "c"))
    assert server.ca_pem_path == str(tmp_path / "c" / "ca.pem")
    assert open(server.ca_pem_path, "rb").read() == server.ca_pem
    assert server.ca_pem.startswith(b"-----BEGIN CERTIFICATE-----")
    assert os.path.exists(tmp_path / "c" / "ca.der") and server.ca_der[:1] == b"\x30"


def test_localhost_and_127_0_0_1_are_both_valid(make_server):
    server, _ = make_server(tls=True)
    assert _get(server.base_url, server.ca_pem_path) == 200
    assert _get(f"https://127.0.0.1:{server.port}", server.ca_pem_path) == 200


def test_certificate_from_another_ca_is_refused(make_server):
    server, _ = make_server(tls=True, cert_untrusted_ca=True)
    with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
        _get(server.base_url, server.ca_pem_path)


def test_certificate_for_the_wrong_hostname_is_refused(make_server):
    server, _ = make_server(tls=True, cert_hostname="wrong.example")
    with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
        _get(server.base_url, server.ca_pem_path)


def test_server_survives_a_refused_handshake(make_server):
    server, http = make_server(tls=True, cert_untrusted_ca=True)
    with pytest.raises(urllib.error.URLError):
        _get(server.base_url, server.ca_pem_path)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(server.base_url + "/device", context=context,
                                timeout=10) as response:
        assert response.status == 200
