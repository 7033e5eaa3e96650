"""provision: write /devflow.json on the board, checked, all or nothing.

The config is built on the host (OAuth endpoints by discovery), validated,
copied to the board as /devflow.json.new, then checked there by hash and
renamed over /devflow.json. A failure anywhere leaves the old config.
Secrets go from the command line or environment into that file only: they
are never printed, and the host's temporary copy is private and removed.
"""

import hashlib
import os
import tempfile

from . import devconfig, device_code
from .discovery import discover
from .errors import ToolError

CONFIG_PATH = device_code.CONFIG_PATH
_COPIED_METADATA = ("device_authorization_endpoint", "token_endpoint", "userinfo_endpoint", "revocation_endpoint")


def build_config(settings, timeout=10.0):
    """settings: dict of wifi_ssid, wifi_password, issuer, client_id,
    client_secret, auth_method, scope, ca_pem, and explicit endpoints."""
    config = {"wifi": {"ssid": settings.get("wifi_ssid") or "", "password": settings.get("wifi_password") or ""}}
    issuer = settings.get("issuer")
    if issuer:
        meta = discover(issuer, settings.get("ca_pem"), timeout=timeout)
        config["issuer"] = issuer
        for key in _COPIED_METADATA:
            if meta.get(key):
                config[key] = meta[key]
        _check_auth_method(meta, settings)
    for key in _COPIED_METADATA:
        if settings.get(key):
            config[key] = settings[key]
    config["client_id"] = settings.get("client_id") or ""
    if settings.get("client_secret"):
        config["client_secret"] = settings["client_secret"]
    method = settings.get("auth_method") or ("client_secret_basic" if settings.get("client_secret") else "none")
    config["token_endpoint_auth_method"] = method
    if settings.get("scope"):
        config["scope"] = settings["scope"]
    if settings.get("ca_pem"):
        config["ca_certs"] = settings["ca_pem"]
    return config


def _check_auth_method(meta, settings):
    offered = meta.get("token_endpoint_auth_methods_supported")
    wanted = settings.get("auth_method")
    if wanted and offered and wanted not in offered:
        raise ToolError(f"the server does not accept token_endpoint_auth_method {wanted} (it offers: {', '.join(offered)})")


def write_config(board, config):
    """Validate, then write atomically. Returns the redacted config."""
    devconfig.check(config)
    data = devconfig.encode(config)
    staged = CONFIG_PATH + ".new"
    with tempfile.TemporaryDirectory(prefix="devflow-provision-") as tmp:
        local = os.path.join(tmp, "devflow.json")
        fd = os.open(local, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        try:
            board.run("fs", "cp", local, ":" + staged)
        except ToolError:
            _discard(board, staged)
            raise
    verdict = board.exec_json(device_code.commit_staged({CONFIG_PATH: hashlib.sha256(data).hexdigest()}))
    if not verdict["ok"]:
        raise ToolError("the config arrived damaged on the board (hash mismatch): nothing was changed; try again")
    return devconfig.redacted(config)


def _discard(board, staged):
    try:
        board.exec_json(device_code.remove([staged]))
    except ToolError:
        pass
