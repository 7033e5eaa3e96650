"""The http adapter against a real server on loopback, under CPython and the
real MicroPython (the `client` fixture runs each test on both)."""

import json
import socket
import ssl

import trustme

NOT_TRUSTED = "certificate not trusted for "


def sent_headers(result):
    return json.loads(result["body"])["headers"]


# --- https and certificate checks -------------------------------------------


def test_https_request_completes_with_test_ca(client, https_server, ca_file):
    [r] = client([{"url": https_server.url("/json?x=1")}], ca_file=ca_file)
    assert r["status"] == 200
    assert json.loads(r["body"])["target"] == "/json?x=1"
    assert r["headers"] == {}  # what no one reads is not kept (Content-Length is read, not kept)


def test_request_head_is_http11_with_headers_in_order(client, https_server, ca_file):
    [r] = client([{"method": "POST", "url": https_server.url("/json", "localhost"),
                   "headers": [["Accept", "application/json"], ["X-B", "2"], ["X-A", "1"]],
                   "body": "grant_type=x"}], ca_file=ca_file)
    assert sent_headers(r) == [
        ["Host", "localhost:%d" % https_server.port],
        ["Accept", "application/json"], ["X-B", "2"], ["X-A", "1"],
        ["User-Agent", "devflow/0.1"], ["Content-Length", "12"]]
    assert json.loads(r["body"])["body"] == "grant_type=x"


def test_several_roots_in_one_pem_bundle_are_all_trusted(client, https_server, ca, tmp_path):
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(trustme.CA().cert_pem.bytes() + ca.cert_pem.bytes() + trustme.CA().cert_pem.bytes())
    [r] = client([{"url": https_server.url("/json")}], ca_file=str(bundle))
    assert r["status"] == 200


def test_der_ca_is_accepted(client, https_server, ca, tmp_path):
    der = tmp_path / "ca.der"
    der.write_bytes(ssl.PEM_cert_to_DER_cert(ca.cert_pem.bytes().decode()))
    [r] = client([{"url": https_server.url("/json")}], ca_file=str(der))
    assert r["status"] == 200


def assert_refused_before_any_request_byte(server):
    assert server.wait_idle()
    assert server.handshake_failures == 1
    assert server.app_bytes == 0 and server.requests == []


def test_wrong_ca_is_refused_before_any_request_byte(client, https_server, tmp_path):
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    [r] = client([{"method": "POST", "url": https_server.url("/json"), "body": "secret=1"}],
                 ca_file=str(other))
    assert r["error"] == "tls" and r["detail"] == NOT_TRUSTED + "127.0.0.1"
    assert r["sent"] == 0
    assert_refused_before_any_request_byte(https_server)


def test_wrong_hostname_is_refused_before_any_request_byte(client, make_server, ca, ca_file):
    server = make_server(ca=ca, cert_hosts=("other.example",))
    [r] = client([{"url": server.url("/json", "localhost")}], ca_file=ca_file)
    assert r["error"] == "tls" and r["detail"] == NOT_TRUSTED + "localhost"
    assert_refused_before_any_request_byte(server)


def test_https_without_ca_is_a_config_error_before_connecting(client, https_server):
    [r] = client([{"url": https_server.url("/json")}])
    assert "ca_certs" in r["config_error"] and r["opened"] == 0
    assert https_server.connections == 0


# --- plain http --------------------------------------------------------------


def test_plain_http_to_non_loopback_is_refused_without_connecting(client):
    results = client([{"url": "http://10.0.0.1/token"}, {"url": "http://example.com:8080/"},
                      {"url": "http://[2001:db8::1]/"}, {"url": "http://128.0.0.1/"}])
    for r in results:
        assert r["config_error"].startswith("plain http is only allowed to loopback")
        assert r["opened"] == 0 and r["sent"] == 0


def test_plain_http_to_loopback_names_is_allowed(client, http_server, make_server):
    v6 = make_server(bind="::1")
    results = client([{"url": http_server.url("/json", "localhost")},
                      {"url": http_server.url("/json", "127.0.0.1")},
                      {"url": v6.url("/json")}])
    assert [r["status"] for r in results] == [200, 200, 200]
    assert sent_headers(results[2])[0] == ["Host", "[::1]:%d" % v6.port]


# --- keep-alive --------------------------------------------------------------


def test_keep_alive_reuses_one_connection(client, https_server, ca_file):
    steps = [{"url": https_server.url("/json")}, {"url": https_server.url("/chunked")},
             {"method": "POST", "url": https_server.url("/json"), "body": "a=1"}]
    results = client(steps, ca_file=ca_file)
    assert [r["status"] for r in results] == [200, 200, 200]
    assert results[-1]["opened"] == 1 and results[-1]["sent"] == 3
    assert https_server.connections == 1


def test_fields_longer_than_the_receive_buffer_are_skipped(client, https_server, ca_file):
    # Kilobytes of Content-Security-Policy and cookie, over the agent's
    # 1 KB receive buffer: dropped as they arrive, the answer read, and
    # the connection still good for the next request.
    results = client([{"url": https_server.url("/long-headers")}, {"url": https_server.url("/json")}],
                     ca_file=ca_file)
    assert [r["status"] for r in results] == [200, 200]
    assert json.loads(results[0]["body"])["path"] == "/long-headers"
    assert results[-1]["opened"] == 1


def test_connection_close_header_ends_reuse(client, http_server):
    results = client([{"url": http_server.url("/close")}, {"url": http_server.url("/json")},
                      {"url": http_server.url("/http10")}, {"url": http_server.url("/json")}])
    assert [r["status"] for r in results] == [200] * 4
    assert results[0]["body"] == "bye" and results[2]["body"] == "old!"
    assert results[-1]["opened"] == 3 and http_server.connections == 3


def test_another_origin_closes_the_kept_connection(client, make_server):
    a, b = make_server(), make_server()
    results = client([{"url": a.url("/json")}, {"url": b.url("/json")}, {"url": a.url("/json")}])
    assert [r["opened"] for r in results] == [1, 2, 3]
    assert b.wait_idle()  # b's connection went when the client went back to a


def test_close_releases_the_connection(client, http_server):
    results = client([{"url": http_server.url("/json")}, {"close": True}, {"url": http_server.url("/json")}])
    assert results[-1]["opened"] == 2


def test_connection_closed_by_server_while_idle_is_replaced(client, https_server, ca_file):
    # The server answers with keep-alive, then closes: the client notices
    # before sending and opens a fresh connection, so even a POST (never
    # retried) goes through.
    results = client([{"url": https_server.url("/then-close")}, {"await_server_close": 5000},
                      {"method": "POST", "url": https_server.url("/json"), "body": "a=1"}],
                     ca_file=ca_file)
    assert results[1]["server_closed"]
    assert results[2]["status"] == 200
    assert results[2]["opened"] == 2 and results[2]["sent"] == 2
    assert https_server.paths() == ["GET /then-close", "POST /json"]


def test_idempotent_request_is_retried_once_when_reused_connection_dies(client, http_server):
    results = client([{"url": http_server.url("/json")}, {"url": http_server.url("/drop-once")}])
    assert results[-1]["status"] == 200
    assert http_server.paths() == ["GET /json", "GET /drop-once", "GET /drop-once"]
    assert results[-1]["opened"] == 2


def test_post_is_not_resent_when_reused_connection_dies_after_sending(client, http_server):
    results = client([{"url": http_server.url("/json")},
                      {"method": "POST", "url": http_server.url("/drop-once"), "body": "device_code=x"}])
    assert results[-1]["error"] == "reset"
    assert "device_code" not in results[-1]["detail"]
    assert http_server.paths() == ["GET /json", "POST /drop-once"]


def test_a_repeated_request_is_encoded_once_per_connection(http_server, monkeypatch):
    # A poll resends the very Request it sent before: its bytes are built
    # for the first send on a connection, the fresh one included, and kept.
    from devflow.adapters import http
    from devflow.core.wire import Request
    client = http.HttpClient()
    prepared = []
    prepare = client._prepare
    monkeypatch.setattr(client, "_prepare", lambda request: prepared.append(request) or prepare(request))
    poll = Request("POST", http_server.url("/json"), [], b"device_code=x", "token", 4096)
    assert [client.perform(poll).status for _ in range(3)] == [200] * 3
    assert len(prepared) == 1 and client.connections_opened == 1
    client.close()


# --- bodies ------------------------------------------------------------------


def test_chunked_body_with_extensions_and_trailers(client, https_server, ca_file):
    results = client([{"url": https_server.url("/chunked")}, {"url": https_server.url("/json")}],
                     ca_file=ca_file)
    assert results[0]["body"] == "hello world"
    assert results[1]["status"] == 200 and results[1]["opened"] == 1


def test_body_until_eof(client, http_server):
    [r] = client([{"url": http_server.url("/eof")}])
    assert r["body"] == "until the end"


def test_huge_bodies_hit_the_cap(client, https_server, ca_file):
    results = client([{"url": https_server.url(p), "max_body": 4096}
                      for p in ("/huge", "/huge-chunked", "/huge-eof")] + [{"url": https_server.url("/json")}],
                     ca_file=ca_file)
    assert [r.get("error") for r in results[:3]] == ["too_large"] * 3
    assert results[3]["status"] == 200 and results[3]["opened"] == 4  # each cap closed the connection


def test_trickle_without_length_hits_the_cap(client, http_server):
    [r] = client([{"url": http_server.url("/trickle-eof"), "max_body": 4}], timeout_s=2, deadline_s=5)
    assert r["error"] == "too_large"


def test_trickle_hits_the_request_deadline(client, http_server):
    [r] = client([{"url": http_server.url("/trickle")}], timeout_s=2, deadline_s=0.4)
    assert r["error"] == "timeout"


def test_slow_headers_hit_the_read_timeout(client, https_server, ca_file):
    [r] = client([{"url": https_server.url("/slow-headers")}], ca_file=ca_file, timeout_s=0.3)
    assert r["error"] == "timeout"


def test_read_timeout_holds_on_a_kept_connection(client, https_server, ca_file):
    # MicroPython reads a response with the socket non-blocking, each wait
    # a poll (http_msg.py): the socket timeout bounds the next response's
    # waits as well, and the socket is back to blocking in between.
    results = client([{"url": https_server.url("/json")}, {"url": https_server.url("/slow-headers")}],
                     ca_file=ca_file, timeout_s=0.3)
    assert results[0]["status"] == 200 and results[1]["error"] == "timeout"


def test_redirect_is_returned_not_followed(client, https_server, ca_file):
    results = client([{"method": "POST", "url": https_server.url("/redirect"), "body": "device_code=x"},
                      {"url": https_server.url("/json")}], ca_file=ca_file)
    assert results[0]["status"] == 302 and results[0]["len"] == 0
    assert results[0]["headers"] == {}  # its Location is neither followed nor kept
    assert https_server.paths() == ["POST /redirect", "GET /json"]


# --- failures ----------------------------------------------------------------


def test_reset_mid_body_is_a_reset(client, http_server, https_server, ca_file):
    results = client([{"url": http_server.url("/reset")}, {"url": https_server.url("/reset")}], ca_file=ca_file)
    assert [r["error"] for r in results] == ["reset", "reset"]


def test_not_http_is_a_bad_response(client, http_server):
    [r] = client([{"url": http_server.url("/garbage")}])
    assert r["error"] == "bad_response"


def test_connection_refused_is_connect(client):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # bound, never listening: nothing accepts on this port
    [r] = client([{"url": "http://127.0.0.1:%d/" % port}])
    assert r["error"] == "connect" and r["opened"] == 0


def test_dns_failure_is_dns(client, ca_file):
    [r] = client([{"url": "https://nonexistent.invalid/token"}], ca_file=ca_file)
    assert r["error"] == "dns" and r["detail"] == "cannot resolve nonexistent.invalid"


def test_bad_urls_and_headers_are_config_errors(client, http_server):
    results = client([{"url": "ftp://127.0.0.1/"}, {"url": "http://user:pw@127.0.0.1/"},
                      {"url": "http://127.0.0.1:99999/"}, {"url": "https://::1/"},
                      {"url": http_server.url("/json"), "headers": [["X-Evil", "a\r\nHost: b"]]},
                      {"url": http_server.url("/json"), "headers": [["Content-Length", "5"]]}])
    assert all("config_error" in r for r in results), results
    assert results[-1]["opened"] == 0
