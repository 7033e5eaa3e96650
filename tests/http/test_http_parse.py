"""The pure parts of the http adapter: URLs, the loopback rule, the request
head, response lines and body framing, PEM handling."""

import ssl

import pytest
import trustme

from devflow.adapters import http_parse as hp
from devflow.adapters import tls
from devflow.core.errors import ConfigError, NetworkError


@pytest.mark.parametrize("url, parts", [
    ("https://auth.example.com/device", ("https", "auth.example.com", 443, "/device")),
    ("HTTPS://Auth.Example.com", ("https", "auth.example.com", 443, "/")),
    ("http://127.0.0.1:8080?a=1", ("http", "127.0.0.1", 8080, "/?a=1")),
    ("https://[::1]:8443/t?x=y#frag", ("https", "::1", 8443, "/t?x=y")),
    ("https://[2001:db8::1]/", ("https", "2001:db8::1", 443, "/")),
    ("https://h/a/b?c=d/e", ("https", "h", 443, "/a/b?c=d/e")),
])
def test_parse_url(url, parts):
    t = hp.parse_url(url)
    assert (t.scheme, t.host, t.port, t.path) == parts


@pytest.mark.parametrize("url", [
    "auth.example.com/device", "ftp://h/", "https://", "https://:443/", "https://u:p@h/",
    "https://h:0/", "https://h:65536/", "https://h:x/", "https://::1/", "https://[::1/",
    "https://[::1]x/", "https://h/a b", "https://h/\r\nX: y", None,
])
def test_parse_url_rejects(url):
    with pytest.raises(ConfigError):
        hp.parse_url(url)


@pytest.mark.parametrize("url, host", [
    ("https://h/", "h"), ("https://h:443/", "h"), ("https://h:8443/", "h:8443"),
    ("http://[::1]:80/", "[::1]"), ("http://[::1]:8080/", "[::1]:8080"),
])
def test_host_header(url, host):
    assert hp.parse_url(url).host_header() == host


@pytest.mark.parametrize("host, loopback", [
    ("localhost", True), ("127.0.0.1", True), ("127.255.0.9", True), ("::1", True),
    ("128.0.0.1", False), ("127.0.0", False), ("127.0.0.1.evil.com", False),
    ("localhost.evil.com", False), ("10.0.0.1", False), ("::2", False), ("127.0.0.256", False),
])
def test_is_loopback(host, loopback):
    assert hp.is_loopback(host) is loopback


def test_request_head():
    t = hp.parse_url("https://as.example/token")
    head = hp.request_head("POST", t, [("Accept", "application/json")], 7)
    assert head == (b"POST /token HTTP/1.1\r\nHost: as.example\r\nAccept: application/json\r\n"
                    b"User-Agent: devflow/0.1\r\nContent-Length: 7\r\nConnection: keep-alive\r\n\r\n")
    head = hp.request_head("GET", t, [("user-agent", "x/1")], 0)
    assert b"devflow" not in head and b"Content-Length" not in head


@pytest.mark.parametrize("method, headers", [
    ("GET\r\n", []), ("", []), ("GET", [("X", "a\nb")]), ("GET", [("X Y", "a")]),
    ("GET", [("Host", "h")]), ("GET", [("Transfer-Encoding", "chunked")]),
    ("GET", [("X", 1)]), ("GET", [(b"X", "1")]), (None, []),
])
def test_request_head_rejects(method, headers):
    with pytest.raises(ConfigError):
        hp.request_head(method, hp.parse_url("https://h/"), headers, 0)


def test_status_line():
    assert hp.parse_status_line(b"HTTP/1.1 200 OK") == (1, 200)
    assert hp.parse_status_line(b"HTTP/1.0 404") == (0, 404)
    for bad in (b"HTTP/2 200 OK", b"HTTP/1.1 20 OK", b"HTTP/1.1 2000", b"SSH-2.0", b""):
        with pytest.raises(NetworkError) as e:
            hp.parse_status_line(bad)
        assert e.value.kind == NetworkError.BAD_RESPONSE


def test_header_lines():
    assert hp.parse_header_line(b"Content-Type:  text/plain ") == ("content-type", "text/plain")
    for bad in (b"NoColon", b": v", b"Name : v", b" folded: v"):
        with pytest.raises(NetworkError):
            hp.parse_header_line(bad)
    headers = {}
    hp.add_header(headers, "x", "1")
    hp.add_header(headers, "x", "2")
    assert headers == {"x": "1, 2"}


def test_chunk_size():
    assert hp.chunk_size(b"1a;ext=\"v\"") == 26
    assert hp.chunk_size(b"0000000010") == 16
    with pytest.raises(NetworkError) as e:
        hp.chunk_size(b"fffffffff")
    assert e.value.kind == NetworkError.TOO_LARGE
    for bad in (b"", b"zz", b";x"):
        with pytest.raises(NetworkError):
            hp.chunk_size(bad)


@pytest.mark.parametrize("method, status, headers, framing", [
    ("HEAD", 200, {"content-length": "5"}, (hp.NO_BODY, 0)),
    ("GET", 204, {}, (hp.NO_BODY, 0)),
    ("GET", 304, {"content-length": "9"}, (hp.NO_BODY, 0)),
    ("GET", 200, {"content-length": "5"}, (hp.LENGTH, 5)),
    ("GET", 200, {"content-length": "5, 5"}, (hp.LENGTH, 5)),
    ("GET", 200, {"transfer-encoding": "chunked", "content-length": "5"}, (hp.CHUNKED, 0)),
    ("GET", 200, {}, (hp.UNTIL_EOF, 0)),
])
def test_body_framing(method, status, headers, framing):
    assert hp.body_framing(method, status, headers) == framing


@pytest.mark.parametrize("headers", [
    {"content-length": "5, 6"}, {"content-length": "-1"}, {"content-length": "0x10"},
    {"transfer-encoding": "gzip, chunked"},
])
def test_body_framing_rejects(headers):
    with pytest.raises(NetworkError):
        hp.body_framing("GET", 200, headers)


def test_keeps_alive():
    assert hp.keeps_alive(1, {}, hp.LENGTH)
    assert not hp.keeps_alive(1, {"connection": "Close"}, hp.LENGTH)
    assert not hp.keeps_alive(0, {}, hp.LENGTH)
    assert hp.keeps_alive(0, {"connection": "keep-alive"}, hp.LENGTH)
    assert not hp.keeps_alive(1, {}, hp.UNTIL_EOF)


def test_pem_bundle_to_der_list():
    cas = [trustme.CA(), trustme.CA()]
    bundle = b"junk before\n" + b"".join(ca.cert_pem.bytes() for ca in cas)
    ders = [ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode()) for ca in cas]
    assert tls.pem_to_der(bundle) == ders
    assert tls.pem_to_der(bundle.decode()) == ders
    assert tls.pem_to_der(ders[0]) == [ders[0]]


@pytest.mark.parametrize("data", [b"", None, b"not a cert", b"-----BEGIN CERTIFICATE-----\nAAAA"])
def test_bad_ca_data_is_a_config_error(data):
    with pytest.raises(ConfigError):
        tls.make_context(data)
