"""The message side of the http adapter without a server: URLs, the loopback
rule, the request bytes, and responses read from a scripted socket (status
line, header lines, chunk sizes, body framing, keep-alive); PEM handling."""

import ssl

import pytest
import trustme

from devflow.adapters.clock import ticks_ms
from devflow.adapters.http import HttpClient
from devflow.adapters.http_msg import response
from devflow.adapters.http_req import encode, parse_url, tls_context
from devflow.core.errors import ConfigError, NetworkError
from devflow.core.wire import Request


@pytest.mark.parametrize("url, parts", [
    ("https://auth.example.com/device", ("https", "auth.example.com", 443, "/device")),
    ("HTTPS://Auth.Example.com", ("https", "auth.example.com", 443, "/")),
    ("http://127.0.0.1:8080?a=1", ("http", "127.0.0.1", 8080, "/?a=1")),
    ("https://[::1]:8443/t?x=y#frag", ("https", "::1", 8443, "/t?x=y")),
    ("https://[2001:db8::1]/", ("https", "2001:db8::1", 443, "/")),
    ("https://h/a/b?c=d/e", ("https", "h", 443, "/a/b?c=d/e")),
])
def test_parse_url(url, parts):
    origin, path = parse_url(url)
    assert origin + (path,) == parts


@pytest.mark.parametrize("url", [
    "auth.example.com/device", "ftp://h/", "https://", "https://:443/", "https://u:p@h/",
    "https://h:0/", "https://h:65536/", "https://h:x/", "https://::1/", "https://[::1/",
    "https://[::1]x/", "https://[h]/", "https://h/a b", "https://h/\r\nX: y", None,
    "http://10.0.0.1/", "http://localhost.evil.com/",
])
def test_parse_url_rejects(url):
    with pytest.raises(ConfigError):
        parse_url(url)


def head_of(method, url, headers=(), body=None):
    return encode(Request(method, url, list(headers), body, "test", 1024))[1]


@pytest.mark.parametrize("url, host", [
    ("https://h/", "h"), ("https://h:443/", "h"), ("https://h:8443/", "h:8443"),
    ("http://[::1]:80/", "[::1]"), ("http://[::1]:8080/", "[::1]:8080"),
])
def test_host_header(url, host):
    assert b"\r\nHost: " + host.encode() + b"\r\n" in head_of("GET", url)


@pytest.mark.parametrize("host, loopback", [
    ("localhost", True), ("127.0.0.1", True), ("127.255.0.9", True), ("::1", True),
    ("128.0.0.1", False), ("127.0.0", False), ("127.0.0.1.evil.com", False),
    ("localhost.evil.com", False), ("10.0.0.1", False), ("::2", False), ("127.0.0.256", False),
])
def test_plain_http_only_to_loopback(host, loopback):
    url = "http://%s/" % ("[%s]" % host if ":" in host else host)
    if loopback:
        assert parse_url(url)[0][1] == host
    else:
        with pytest.raises(ConfigError):
            parse_url(url)


def test_request_bytes():
    origin, data = encode(Request("POST", "https://as.example/token", [("Accept", "application/json")],
                                  b"grant=1", "test", 1024))
    assert origin == ("https", "as.example", 443)
    assert data == (b"POST /token HTTP/1.1\r\nHost: as.example\r\nAccept: application/json\r\n"
                    b"User-Agent: devflow/0.1\r\nContent-Length: 7\r\n\r\n"
                    b"grant=1")
    data = head_of("GET", "https://as.example/token", [("user-agent", "x/1")])
    assert b"devflow" not in data and b"Content-Length" not in data


@pytest.mark.parametrize("method, headers, body", [
    ("GET\r\n", [], None), ("", [], None), ("GET", [("X", "a\nb")], None), ("GET", [("X Y", "a")], None),
    ("GET", [("Host", "h")], None), ("GET", [("Transfer-Encoding", "chunked")], None),
    ("GET", [("X", 1)], None), ("GET", [(b"X", "1")], None), (None, [], None), ("POST", [], "text"),
    ("POST", [], b"\xff"),
])
def test_request_bytes_rejects(method, headers, body):
    with pytest.raises(ConfigError):
        head_of(method, "https://h/", headers, body)


# --- responses, read from a socket that hands out a few bytes per recv ------


class ScriptedSocket:
    def __init__(self, data, step):
        self.data, self.step = data, step

    def recv_into(self, view):
        n = min(len(view), self.step, len(self.data))
        view[:n], self.data = self.data[:n], self.data[n:]
        self.calls += 1
        return n


def reading(sock, room):
    # A client on a scripted socket, as its _connect leaves it.
    sock.calls = 0
    client = HttpClient(deadline_s=10)
    client.sock, client.room = sock, room
    client.received = 0
    return client


def read(raw, method="GET", cap=16384, step=7, room=64):
    # -> (Response, may the connection be reused). The room is the
    # client's receive buffer: small here, so longer bodies spill.
    client = reading(ScriptedSocket(raw, step), bytearray(room))
    return response(client, method, cap, ticks_ms()), client.keep


def read_error(raw, **kwargs):
    with pytest.raises(NetworkError) as e:
        read(raw, **kwargs)
    return e.value.args[0]


def test_status_line():
    assert read(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")[0].status == 200
    assert read(b"HTTP/1.0 404\r\nContent-Length: 0\r\n\r\n")[0].status == 404
    assert read(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")[0].status == 201
    for bad in (b"HTTP/2 200 OK", b"HTTP/1.1 20 OK", b"HTTP/1.1 2000", b"SSH-2.0", b"",
                b"HTTP/1.1 101 Switching"):
        assert read_error(bad + b"\r\nContent-Length: 0\r\n\r\n") == "bad_response"


def test_header_lines():
    # Only the fields someone reads are kept (not even Content-Type or a
    # Location), the blanks around a value skipped, repeats joined.
    response, _ = read(b"HTTP/1.1 200 OK\r\nContent-Type:  text/plain \r\nX-Other: y\n"
                       b"Retry-After: \t1 \r\nretry-after: 2\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n")
    assert response.headers == {"retry-after": "1, 2"}
    for bad in (b"NoColon", b": v", b"Name : v", b" folded: v", b"Retry-After: \xff"):
        assert read_error(b"HTTP/1.1 200 OK\r\n" + bad + b"\r\n\r\n") == "bad_response"


def test_head_is_bounded():
    many = b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 33 + b"\r\n"
    assert read_error(many) == "bad_response"
    assert read_error(b"HTTP/1.1 200 OK\r\nContent-") == "reset"
    # 16 KB of head at most, whether in one line or in several.
    for head in (b"X: " + b"y" * 16384 + b"\r\n", (b"X: " + b"y" * 1000 + b"\r\n") * 17):
        assert read_error(b"HTTP/1.1 200 OK\r\n" + head + b"\r\n", step=4096) == "bad_response"


def test_a_field_longer_than_the_room_is_dropped():
    # A provider's Content-Security-Policy may be kilobytes long: a line
    # longer than the receive buffer is read through and dropped, and the
    # fields around it still count.
    policy = b"Content-Security-Policy: default-src 'none'; " + b"x" * 3000 + b"\r\n"
    raw = (b"HTTP/1.1 429 Too Many\r\n" + policy + b"Retry-After: 3\r\n" + policy
           + b"Content-Length: 2\r\n\r\nok")
    for step in (1, 7, 4096):
        response, keep = read(raw, step=step, room=64)
        assert (response.status, response.headers, bytes(response.body), keep) == (429, {"retry-after": "3"}, b"ok", True)
    # Not a status line, nor a chunk's size line, though.
    assert read_error(b"HTTP/1.1 200 " + b"O" * 100 + b"\r\n\r\n", room=64) == "bad_response"
    assert read_error(chunked(b"5;" + b"e" * 100 + b"\r\nhello\r\n0\r\n\r\n"), room=64) == "bad_response"


def chunked(*chunks):
    return b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + b"".join(chunks)


def test_chunk_size():
    assert read(chunked(b'1a;ext="v"\r\n', b"a" * 26, b"\r\n0\r\nTrailer: x\r\n\r\n"))[0].body == b"a" * 26
    assert read(chunked(b"0000000010\r\n", b"b" * 16, b"\r\n0\r\n\r\n"))[0].body == b"b" * 16
    assert read_error(chunked(b"fffffffff\r\n")) == "too_large"
    for bad in (b"", b"zz", b";x", b"-5"):
        assert read_error(chunked(bad + b"\r\nhello\r\n0\r\n\r\n")) == "bad_response"
    assert read_error(chunked(b"5\r\nhelloX\r\n0\r\n\r\n")) == "bad_response"


@pytest.mark.parametrize("method, status, headers, body", [
    ("HEAD", 200, b"Content-Length: 5\r\n", b""),
    ("GET", 204, b"", b""),
    ("GET", 304, b"Content-Length: 9\r\n", b""),
    ("GET", 200, b"Content-Length: 5\r\n", b"hello"),
    ("GET", 200, b"Content-Length: 5\r\ncontent-length:  05 \r\n", b"hello"),
    ("GET", 200, b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", b"hel"),
    ("GET", 200, b"", b"hello, then EOF"),
    ("GET", 302, b"Location: /x\r\nContent-Length: 5\r\n", b""),
])
def test_body_framing(method, status, headers, body):
    raw = b"HTTP/1.1 %d X\r\n" % status + headers + b"\r\n"
    raw += b"3\r\nhel\r\n0\r\n\r\n" if b"chunked" in headers else b"hello, then EOF"
    for step in (3, 4096):
        assert read(raw, method, step=step)[0].body == body


@pytest.mark.parametrize("headers", [
    b"Content-Length: 5, 6", b"Content-Length: 5, 5", b"Content-Length: -1", b"Content-Length: +5",
    b"Content-Length: 0x10", b"Content-Length: 5\r\nContent-Length: 6", b"Content-Length:",
    b"Transfer-Encoding: gzip, chunked",
])
def test_body_framing_rejects(headers):
    assert read_error(b"HTTP/1.1 200 OK\r\n" + headers + b"\r\n\r\nhello") == "bad_response"


def test_body_in_many_pieces():
    body = bytes(range(48, 48 + 75))
    for head in (b"Content-Length: 75\r\n", b""):
        assert read(b"HTTP/1.1 200 OK\r\n" + head + b"\r\n" + body, step=2)[0].body == body
    chunks = b"".join(b"5\r\n" + body[i:i + 5] + b"\r\n" for i in range(0, 75, 5)) + b"0\r\n\r\n"
    assert read(chunked(chunks), step=3)[0].body == body


def test_body_goes_into_the_room_or_spills():
    # Head and body are read into the client's receive buffer; a body that
    # fits is a view of it, reused by the next response, moved to the start
    # of the room when it would run past its end; a longer one spills into
    # a bytearray of its own.
    room = bytearray(32)
    client = reading(ScriptedSocket(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" * 2, 3), room)
    first = response(client, "GET", 100, ticks_ms()).body
    assert isinstance(first, memoryview) and first.obj is room and first == b"hello"
    assert response(client, "GET", 100, ticks_ms()).body.obj is room
    assert first == b"hello"  # the same bytes, read again into the same place
    for step in (1, 3, 4096):
        fits = read(b"HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n" + b"x" * 30, step=step, room=32)[0].body
        assert isinstance(fits, memoryview) and fits == b"x" * 30
        long = b"hello, world, and then some more!"  # 33 bytes
        for head in (b"Content-Length: 33\r\n", b""):
            body = read(b"HTTP/1.1 200 OK\r\n" + head + b"\r\n" + long, step=step, room=32)[0].body
            assert isinstance(body, bytearray) and body == long
        body = read(chunked(b"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"), step=step, room=32)[0].body
        assert body == b"hello, world"


def test_nothing_is_read_past_the_response_or_twice():
    # Every byte is received once, in as few reads as the socket allows: a
    # head and body that arrive at once take one read, with no piece per
    # line or per field.
    raw = b"HTTP/1.1 200 OK\r\nX-A: 1\r\nX-B: 2\r\nContent-Length: 4\r\n\r\nbody"
    client = reading(ScriptedSocket(raw, 4096), bytearray(1024))
    assert response(client, "GET", 100, ticks_ms()).body == b"body"
    assert client.sock.calls == 1 and client.received == len(raw) and client.keep


def test_a_line_with_its_crlf_may_fill_the_room():
    raw = b"HTTP/1.1 429 Too Many\r\nRetry-After: " + b"1" * 40 + b"\r\nContent-Length: 0\r\n\r\n"
    for step in (1, 5, 4096):
        fits = read(raw, step=step, room=len("Retry-After: ") + 42)[0].headers
        assert fits == {"retry-after": "1" * 40}
        assert read(raw, step=step, room=len("Retry-After: ") + 41)[0].headers == {}  # dropped


def test_body_cap():
    assert read(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd", cap=4)[0].body == b"abcd"
    for raw in (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n",
                b"HTTP/1.1 200 OK\r\n\r\nhello", chunked(b"5\r\nhello\r\n0\r\n\r\n")):
        assert read_error(raw, cap=4) == "too_large"


@pytest.mark.parametrize("raw, keep", [
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", True),
    (b"HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 2\r\n\r\nok", False),
    (b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", False),
    (b"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", True),
    (b"HTTP/1.1 200 OK\r\n\r\nok", False),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok, and more", False),
])
def test_keeps_alive(raw, keep):
    assert read(raw, step=4096)[1] is keep


def test_pem_bundle_loads_every_certificate():
    cas = [trustme.CA(), trustme.CA()]
    bundle = b"junk before\n" + b"".join(ca.cert_pem.bytes() for ca in cas)
    assert len(tls_context(bundle).get_ca_certs()) == 2
    assert len(tls_context(bundle.decode()).get_ca_certs()) == 2
    der = ssl.PEM_cert_to_DER_cert(cas[0].cert_pem.bytes().decode())
    assert tls_context(der).get_ca_certs(binary_form=True) == [der]


@pytest.mark.parametrize("data", [b"", None, b"not a cert", b"-----BEGIN CERTIFICATE-----\nAAAA",
                                  b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])
def test_bad_ca_data_is_a_config_error(data):
    with pytest.raises(ConfigError):
        tls_context(data)
