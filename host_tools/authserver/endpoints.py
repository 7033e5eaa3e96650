"""The JSON endpoints: discovery, JWKS, device authorization, token,
userinfo and revocation. Each turns a Werkzeug request into a response,
records one event and logs one line (with hashes, never secrets)."""

import json
import logging

from authlib.oauth2.rfc6749.util import extract_basic_authorization
from authlib.oauth2.rfc8628 import DEVICE_CODE_GRANT_TYPE
from werkzeug.wrappers import Response

from . import keys
from .codes import short_hash
from .oauth import ALL_CLIENT_AUTH

log = logging.getLogger("host_tools.authserver")

NO_STORE = [("Cache-Control", "no-store"), ("Pragma", "no-cache")]


def json_response(status, body, headers=()):
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    for name, value in headers:
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def error_response(status, error, description, headers=()):
    body = {"error": error, "error_description": description, "status_code": status}
    return json_response(status, body, list(headers) + NO_STORE)


def attempted_client_auth(request):
    """How the client tried to authenticate, whether or not it worked."""
    if request.headers.get("Authorization", "").lower().startswith("basic "):
        return "client_secret_basic"
    if "client_secret" in request.form:
        return "client_secret_post"
    return "none"


def _client_id(request):
    basic_id, _ = extract_basic_authorization(request.headers)
    return basic_id or request.form.get("client_id")


def _repeated_parameter(form):
    # RFC 6749 section 3.1 / 3.2: "parameters MUST NOT be included more than once."
    return next((key for key in form if len(form.getlist(key)) > 1), None)


class Endpoints:
    def __init__(self, oauth, store, events, faults):
        self.oauth = oauth
        self.store = store
        self.events = events
        self.faults = faults

    def discovery(self, request):
        issuer = self.oauth.issuer
        document = {
            "issuer": issuer,
            "device_authorization_endpoint": issuer + "/oauth2/device/authorize",
            "token_endpoint": issuer + "/oauth2/token",
            "userinfo_endpoint": issuer + "/oauth2/userinfo",
            "revocation_endpoint": issuer + "/oauth2/revoke",
            "jwks_uri": issuer + "/oauth2/jwks",
            "grant_types_supported": [DEVICE_CODE_GRANT_TYPE, "refresh_token"],
            "response_types_supported": [],
            "token_endpoint_auth_methods_supported": ALL_CLIENT_AUTH,
            "revocation_endpoint_auth_methods_supported": ALL_CLIENT_AUTH,
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "claims_supported": ["sub", "name", "preferred_username", "iss", "aud", "iat", "exp"],
        }
        if self.oauth.settings.scopes_supported:
            document["scopes_supported"] = list(self.oauth.settings.scopes_supported)
        return json_response(200, document)

    def jwks(self, request):
        return json_response(200, keys.jwks())

    def device_authorization(self, request):
        return self._oauth_call("device_authorization", request, self._device_authorization)

    def token(self, request):
        return self._oauth_call("token", request, self.oauth.create_token_response)

    def revoke(self, request):
        return self._oauth_call(
            "revocation", request,
            lambda r: self.oauth.create_endpoint_response("revocation", r),
        )

    def _device_authorization(self, request):
        return self.oauth.create_endpoint_response("device_authorization", request)

    def _oauth_call(self, endpoint, request, handler):
        event = {
            "endpoint": endpoint,
            "grant_type": request.form.get("grant_type"),
            "client_id": _client_id(request),
            "client_auth": attempted_client_auth(request),
            "device_code_id": short_hash(request.form.get("device_code")),
            "injected": False,
        }
        fault = self.faults.take(endpoint)
        repeated = _repeated_parameter(request.form)
        if fault is not None:
            event["injected"] = True
            status, body, headers = fault.status, fault.body(), fault.headers() + NO_STORE
        elif repeated:
            status, body, headers = 400, {
                "error": "invalid_request",
                "error_description": f"Parameter {repeated} is repeated.",
                "status_code": 400,
            }, NO_STORE
        else:
            with self.store.lock:
                status, body, headers = handler(request)
        device_code = request.form.get("device_code")
        if endpoint == "device_authorization" and "device_code" in body:
            device_code = body["device_code"]
            event["device_code_id"] = short_hash(device_code)
            event["user_code"] = body["user_code"]
        self._record(event, status, body, device_code)
        return json_response(status, body, headers)

    def _record(self, event, status, body, device_code):
        event["status"] = status
        event["outcome"] = body.get("error", "success")
        record = self.store.device_by_code(device_code) if device_code else None
        if record is not None:
            event["interval"] = record.interval
        self.events.append(**event)
        log.info(
            "%s grant=%s client=%s auth=%s dc=%s -> %s %s%s",
            event["endpoint"], event["grant_type"] or "-", event["client_id"] or "-",
            event["client_auth"], event["device_code_id"] or "-", status,
            event["outcome"], " (injected)" if event["injected"] else "",
        )

    def userinfo(self, request):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        bearer = scheme.lower() == "bearer" and bool(token)
        record = self.store.token_by_access(token) if bearer else None
        if record is not None and record.is_access_valid(self.oauth.settings.clock()):
            outcome = "success"
            response = json_response(200, record.user.claims(), NO_STORE)
        elif not bearer:
            # RFC 6750 section 3.1: no error code when no credentials came.
            outcome = "invalid_request"
            response = error_response(
                401, outcome, "A Bearer access token is required.",
                [("WWW-Authenticate", 'Bearer realm="devflow"')],
            )
        else:
            outcome = "invalid_token"
            response = error_response(
                401, outcome, "The access token is unknown, expired or revoked.",
                [("WWW-Authenticate", 'Bearer realm="devflow", error="invalid_token"')],
            )
        token_id = short_hash(token)
        self.events.append(endpoint="userinfo", status=response.status_code,
                           outcome=outcome, token_id=token_id)
        log.info("userinfo token=%s -> %s %s", token_id or "-", response.status_code, outcome)
        return response
