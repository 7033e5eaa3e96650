"""The WSGI application: one routing table from paths to handlers."""

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request


class _Request(Request):
    # Bounded bodies only: nothing here needs more than a few hundred bytes.
    max_content_length = 64 * 1024
    max_form_memory_size = 64 * 1024


# Paths like a real server's; the discovery document lists them.
_ROUTES = [
    ("/.well-known/openid-configuration", ["GET"], "api.discovery"),
    ("/.well-known/oauth-authorization-server", ["GET"], "api.discovery"),
    ("/oauth2/jwks", ["GET"], "api.jwks"),
    ("/oauth2/device/authorize", ["POST"], "api.device_authorization"),
    ("/oauth2/token", ["POST"], "api.token"),
    ("/oauth2/userinfo", ["GET", "POST"], "api.userinfo"),
    ("/oauth2/revoke", ["POST"], "api.revoke"),
    ("/device", ["GET", "POST"], "pages.device"),
    ("/device/login", ["GET", "POST"], "pages.login"),
    ("/device/consent", ["GET", "POST"], "pages.consent"),
    ("/device/done", ["GET"], "pages.done"),
    ("/", ["GET"], "home"),
]


class App:
    def __init__(self, api, pages):
        self._handlers = {"api": api, "pages": pages}
        self._map = Map([Rule(path, methods=methods, endpoint=name, strict_slashes=False)
                         for path, methods, name in _ROUTES])

    def _dispatch(self, request):
        adapter = self._map.bind_to_environ(request.environ)
        try:
            name, _ = adapter.match()
        except HTTPException as error:
            return error
        if name == "home":
            return redirect("/device", 303)
        group, method = name.split(".")
        try:
            return getattr(self._handlers[group], method)(request)
        except HTTPException as error:  # e.g. a body over the size limit
            return error

    def __call__(self, environ, start_response):
        response = self._dispatch(_Request(environ))
        return response(environ, start_response)
