"""A whole device in virtual time: the real app loop, core and token store,
with a stateful fake server at the transport seam, a clock that jumps, and
a flash that loses power. Reboots rebuild the app from what is on flash,
exactly as a board does after a power cut.

The fake server follows node-oidc-provider's strict rules: 5-minute access
tokens, a new refresh token on every refresh, and a replayed (rotated-out)
refresh token revokes the whole grant.
"""

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "agent"))

import app as app_module  # noqa: E402
from app import App  # noqa: E402
from devflow.adapters import token_file  # noqa: E402
from devflow.core.config import parse_config  # noqa: E402
from devflow.core.errors import NetworkError  # noqa: E402
from devflow.core.form import decode  # noqa: E402
from devflow.core.ticks import PERIOD  # noqa: E402
from devflow.core.wire import Response  # noqa: E402

from tests.storage.flash import Flash, PowerCut  # noqa: E402

TOKEN_PATH = "/devflow_tokens.bin"
CONFIG = {
    "device_authorization_endpoint": "https://as.example/device",
    "token_endpoint": "https://as.example/token",
    "userinfo_endpoint": "https://as.example/userinfo",
    "client_id": "soak",
    "scope": "openid offline_access",
}


class _QuickGc:
    # gc.collect() frees a board's heap between phases; on CPython it only
    # costs time (a full collection per idle turn), so the soak skips it.
    @staticmethod
    def collect():
        pass


app_module.gc = _QuickGc


def _json(status, obj):
    return Response(status, {"content-type": "application/json"}, json.dumps(obj).encode())


class VirtualClock:
    def __init__(self, start_ms=0):
        self.ms = start_ms

    def now(self):
        return self.ms & (PERIOD - 1)

    def wall_s(self):
        return None

    def wait(self, ms, interrupted):
        self.ms += max(1, ms)


class StrictServer:
    def __init__(self, clock, rng, failure_rate=0.02):
        self.clock = clock
        self.rng = rng
        self.failure_rate = failure_rate
        self.serial = 0
        self.current_rt = None       # the one refresh token that works
        self.rotated = set()         # refresh tokens replaced by a newer one
        self.access = {}             # access token -> expiry (virtual ms)
        self.issued = []             # every secret handed out (canaries)
        self.replays = 0
        self.codes = {}
        self.refreshes = 0

    def _new(self, kind):
        self.serial += 1
        value = "%s-%06d-%08x" % (kind, self.serial, self.rng.getrandbits(32))
        self.issued.append(value)
        return value

    def _tokens(self):
        self.current_rt = self._new("RT")
        access = self._new("AT")
        self.access[access] = self.clock.ms + 300000
        return {"access_token": access, "token_type": "Bearer", "expires_in": 300,
                "refresh_token": self.current_rt}

    def close(self):
        pass   # the transport seam's "drop the connection": nothing to drop

    def perform(self, request):
        if self.rng.random() < self.failure_rate:
            raise NetworkError(self.rng.choice(["timeout", "reset", "connect"]))
        if request.purpose == "device_authorization":
            code = self._new("DC")
            self.codes[code] = True
            return _json(200, {"device_code": code, "user_code": "SOAK-TEST",
                               "verification_uri": "https://as.example/device",
                               "expires_in": 600, "interval": 5})
        body = decode(request.body or b"")
        if request.purpose == "token":
            if not self.codes.pop(body.get("device_code"), None):
                return _json(400, {"error": "invalid_grant"})
            self.rotated.clear()
            return _json(200, self._tokens())
        if request.purpose == "refresh":
            return self._refresh(body.get("refresh_token"))
        if request.purpose == "api":
            token = dict(request.headers)["Authorization"][len("Bearer "):]
            if self.access.get(token, -1) > self.clock.ms:
                return _json(200, {"sub": "u1", "name": "Soak"})
            return Response(401, {"www-authenticate": 'Bearer error="invalid_token"'}, b"")
        return _json(400, {"error": "invalid_request"})

    def _refresh(self, token):
        self.refreshes += 1
        if token in self.rotated:
            # A replay: revoke the whole grant (node-oidc-provider).
            self.replays += 1
            self.current_rt = None
            self.rotated.clear()
            self.access.clear()
            return _json(400, {"error": "invalid_grant"})
        if token != self.current_rt:
            return _json(400, {"error": "invalid_grant"})
        self.rotated.add(token)
        return _json(200, self._tokens())


class Device:
    """Boots the app from flash; reboots on a power cut."""

    def __init__(self, server, clock, flash):
        self.server, self.clock, self.flash = server, clock, flash
        self.boots = 0
        self.lines = []
        self.boot()

    def boot(self):
        self.boots += 1
        config = parse_config(dict(CONFIG))
        self.app = App(_Headless(), config, self.server, (TOKEN_PATH, self.flash), self.clock,
                       rand=self.server.rng.random, out=self.lines.append)
        self.app.start()

    def stored_refresh_token(self):
        loaded = token_file.load((TOKEN_PATH, _ReadOnly(self.flash)))[0]
        return None if loaded is None else loaded.refresh_token


class _Headless:
    display = None
    button = None


class _ReadOnly:
    # Reading the flash without counting operations or removing anything.
    def __init__(self, flash):
        self.flash = flash

    def open(self, path, mode):
        if path not in self.flash.files:
            raise OSError(2, "ENOENT")
        from tests.storage.flash import _Reader
        return _Reader(self.flash.files[path])

    def remove(self, path):
        pass


def new_rng(seed):
    return random.Random(seed)


__all__ = ["Device", "Flash", "PowerCut", "StrictServer", "VirtualClock", "new_rng", "TOKEN_PATH"]
