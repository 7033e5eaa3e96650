import pytest

from host_tools.authserver import AuthServer, ServerSettings, SettingsError

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.mark.parametrize("path", [
    "/.well-known/openid-configuration",
    "/.well-known/oauth-authorization-server",
])
def test_discovery_lists_every_endpoint(server_http, path):
    server, http = server_http
    status, doc, _ = http.get(path)
    assert status == 200
    base = server.base_url
    assert doc["issuer"] == server.issuer == base
    assert doc["device_authorization_endpoint"] == base + "/oauth2/device/authorize"
    assert doc["token_endpoint"] == base + "/oauth2/token"
    assert doc["userinfo_endpoint"] == base + "/oauth2/userinfo"
    assert doc["revocation_endpoint"] == base + "/oauth2/revoke"
    assert doc["jwks_uri"] == base + "/oauth2/jwks"
    assert set(doc["grant_types_supported"]) == {DEVICE_GRANT, "refresh_token"}
    assert set(doc["token_endpoint_auth_methods_supported"]) == {
        "none", "client_secret_basic", "client_secret_post"}


def test_jwks_has_the_public_signing_key(server_http):
    _, http = server_http
    status, jwks, _ = http.get("/oauth2/jwks")
    assert status == 200
    (key,) = jwks["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256"
    assert "d" not in key  # public half only


def test_plain_http_base_url_is_loopback(server_http):
    server, _ = server_http
    assert server.base_url == f"http://127.0.0.1:{server.port}"
    assert server.ca_pem_path is None


def test_issuer_url_overrides_base_url(make_server):
    server, _ = make_server(issuer_url="http://127.0.0.1:1/")
    assert server.issuer == "http://127.0.0.1:1"


@pytest.mark.parametrize("bad", [
    {"code_length": 5}, {"code_length": 13}, {"charset": "hex"},
    {"token_endpoint_auth_method": "private_key_jwt"}, {"interval": 0},
])
def test_bad_settings_are_refused_at_construction(bad):
    with pytest.raises(SettingsError):
        AuthServer(ServerSettings(**bad))


def test_unknown_path_is_404(server_http):
    _, http = server_http
    assert http.raw("/nope")[0] == 404
