"""The verification pages a person uses: enter the code, sign in, consent.

RFC 8628 section 3.3: the user enters the user code, authenticates and
approves or denies. Each step is a GET that renders a form and a POST that
checks the CSRF token and moves the session on with a 303 redirect.
Element ids are listed in templates.py.
"""

import hmac
import threading

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from . import templates
from .codes import new_secret

_COOKIE = "devflow_session"
_EXPIRED = "That code is not valid, has expired or was already used. Check your device."


class Sessions:
    """Server-side sessions: id -> {csrf, user, user_code, result}."""

    def __init__(self):
        self._lock = threading.Lock()
        self._data = {}

    def get_or_create(self, request):
        with self._lock:
            sid = request.cookies.get(_COOKIE)
            if sid not in self._data:
                sid = new_secret()
                self._data[sid] = {"csrf": new_secret(), "user": None,
                                   "user_code": None, "result": None}
            return sid, self._data[sid]


class Pages:
    def __init__(self, store, settings, events):
        self.store = store
        self.settings = settings
        self.events = events
        self.sessions = Sessions()

    def _respond(self, request, step):
        """Run one step with the session; set the cookie on the way out."""
        sid, session = self.sessions.get_or_create(request)
        if request.method == "POST" and not self._csrf_ok(request, session):
            response = Response(templates.problem(
                "This form has expired. Please enter the code again."), 400,
                mimetype="text/html")
        else:
            response = step(request, session)
        response.set_cookie(_COOKIE, sid, httponly=True, samesite="Lax",
                            secure=self.settings.tls, path="/")
        response.headers["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _csrf_ok(request, session):
        sent = request.form.get("csrf_token", "")
        return hmac.compare_digest(sent.encode(), session["csrf"].encode())

    @staticmethod
    def _html(body, status=200):
        return Response(body, status, mimetype="text/html")

    # -- steps -------------------------------------------------------------

    def device(self, request):
        return self._respond(request, self._device)

    def _device(self, request, session):
        if request.method == "GET":
            prefill = request.args.get("user_code", "")
            return self._html(templates.code_form(session["csrf"], prefill))
        typed = request.form.get("user_code", "")
        record = self.store.pending_device(typed)
        if record is None:
            return self._html(templates.code_form(session["csrf"], typed, _EXPIRED))
        session["user_code"] = record.user_code
        return redirect("/device/consent" if session["user"] else "/device/login", 303)

    def login(self, request):
        return self._respond(request, self._login)

    def _login(self, request, session):
        if not session["user_code"]:
            return redirect("/device", 303)
        users = sorted(self.store.users)
        if request.method == "GET":
            return self._html(templates.login_form(session["csrf"], users))
        username = request.form.get("username", "")
        user = self.store.check_password(username, request.form.get("password", ""))
        if user is None:
            return self._html(templates.login_form(
                session["csrf"], users, "Wrong username or password.", username))
        session["user"] = user.username
        return redirect("/device/consent", 303)

    def consent(self, request):
        return self._respond(request, self._consent)

    def _consent(self, request, session):
        if not session["user"]:
            return redirect("/device/login" if session["user_code"] else "/device", 303)
        record = self.store.pending_device(session["user_code"] or "")
        if record is None:
            session["user_code"] = None
            return self._html(templates.code_form(session["csrf"], "", _EXPIRED))
        if request.method == "GET":
            client = self.store.clients[record.client_id]
            return self._html(templates.consent_form(
                session["csrf"], client.name, (record.scope or "").split(),
                record.user_code, session["user"]))
        approved = request.form.get("decision") == "allow"
        user = self.store.users[session["user"]]
        if not self.store.decide(record.user_code, user, approved):
            return self._html(templates.code_form(session["csrf"], "", _EXPIRED))
        self.events.append(endpoint="verification", outcome=_outcome(approved),
                           user_code=record.user_code, username=user.username, via="page")
        session["user_code"] = None
        session["result"] = _outcome(approved)
        return redirect("/device/done", 303)

    def done(self, request):
        return self._respond(request, self._done)

    def _done(self, request, session):
        if session["result"] is None:
            return redirect("/device", 303)
        return self._html(templates.done(session["result"] == "approved"))


def _outcome(approved):
    return "approved" if approved else "denied"
