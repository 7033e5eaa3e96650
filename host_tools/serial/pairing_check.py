"""One real pairing of the agent on the virtual board, start to finish.

    result = pair(work_dir, board="esp32-ssd1306", tls=True, heapsize="48k")
    result.ok, result.failure, result.qr_text, result.seconds

The local authorization server (interval 1 s; access tokens that live 2 s
when a refresh is wanted), the agent deployed to a fresh flash folder and
booted under the real MicroPython unix port, the pairing code read from
the board's log, the QR decoded by zxing-cpp from the panel PNG (boards
with a panel), the user approving with user_agent, then the board's own
word that it is paired (and refreshed). Used by tests/mpy_e2e and by the
heap search in bench/agent_bench.py, where a failure is an answer, not an
error: a run that dies of MemoryError says the heap was too small.
"""

import json
import os
import time

from .agent_board import AgentBoard

_CODE = b"devflow: pairing_code "
# What ends a run early: the board gave up (a traceback at boot, the REPL
# prompt after main.py) or the transport failed (the local server never
# does, so it is the heap: the app logs a MemoryError as kind=memory).
# Fields are logged sorted by name; only a successful refresh has expires_in.
_REFRESHED = b"devflow: refresh expires_in="
_FAILED = (b"Traceback (most recent call last)", b"MemoryError", b"devflow: network_error", b"devflow: error ")


class PairingResult:
    def __init__(self):
        self.ok = False
        self.failure = None
        self.fields = None
        self.qr_text = None
        self.png = None            # the pairing screen
        self.connected_png = None  # the screen after pairing
        self.output = b""
        self.seconds = None
        self.token_file = None

    def __repr__(self):
        return f"PairingResult(ok={self.ok}, failure={self.failure!r})"


def device_config(server, path, **extra):
    config = {"issuer": server.issuer, "client_id": server.client_id, "scope": "openid profile offline_access"}
    if server.ca_pem_path:
        config["ca_certs"] = server.ca_pem.decode()
    config.update(extra)
    with open(path, "w") as f:
        json.dump(config, f)
    return path


def read_qr(png_path):
    import zxingcpp
    from PIL import Image
    with Image.open(png_path) as image:
        return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def pair(work_dir, board="esp32-ssd1306", tls=True, heapsize=None, refresh=True, timeout=20.0, server=None,
         main=None, frozen=False, romfs_pad=0, heap_excludes_image=False, names_in_flash=False):
    """Pair once in work_dir (flash/, periph/, certs/, screen.png). With
    `server` given (an AuthServer already started) it is used as it is;
    `main`, a MicroPython file, replaces the agent's main.py (the bench's
    heap probe); `frozen` runs the agent's package from a ROMFS image
    mounted at /rom (AgentBoard), `romfs_pad` spare bytes after its buffer;
    `heap_excludes_image`: `heapsize` is the agent's, the image's copy comes
    on top (AgentBoard); `names_in_flash` (with frozen): as frozen firmware,
    the agent's names too (AgentBoard)."""
    from host_tools.authserver import AuthServer, ServerSettings
    from host_tools.authserver.user_agent import complete_device_flow

    own = server is None
    if own:
        server = AuthServer(ServerSettings(interval=1, tls=tls, access_ttl=2 if refresh else 3600,
                                           certs_dir=os.path.join(work_dir, "certs"))).start()
    result = PairingResult()
    vb = None
    started = time.monotonic()
    try:
        config = device_config(server, os.path.join(work_dir, "devflow.json"))
        vb = AgentBoard(os.path.join(work_dir, "flash"), os.path.join(work_dir, "periph"),
                        board=board, config=config, heapsize=heapsize, main=main, frozen=frozen,
                        romfs_pad=romfs_pad, heap_excludes_image=heap_excludes_image,
                        names_in_flash=names_in_flash).start()
        _run(vb, server, result, work_dir, board, refresh, timeout, complete_device_flow)
    finally:
        result.seconds = time.monotonic() - started
        if vb is not None:
            result.output = vb.board.output
            vb.stop()
        if own:
            server.stop()
    return result


def _run(vb, server, result, work_dir, board, refresh, timeout, complete_device_flow):
    at = _expect(vb, result, _CODE, timeout, 0)
    if at is None:
        return
    result.fields = _fields(vb.board, at - len(_CODE), timeout)
    if board != "headless":
        result.png = os.path.join(work_dir, "screen.png")
        result.qr_text = _panel_qr(vb, result.png, timeout)
        if result.qr_text is None:
            result.failure = "no QR code on the panel"
            return
    url = result.qr_text or result.fields["verification_uri"]
    cadata = server.ca_pem.decode() if server.ca_pem_path else None
    if complete_device_flow(url, result.fields["user_code"], cadata=cadata) != "approved":
        result.failure = "the user could not approve"
        return
    for needle in (b"devflow: state state=paired", b"devflow: screen kind=connected") + (
            (_REFRESHED,) if refresh else ()):
        if _expect(vb, result, needle, timeout, at) is None:
            return
    if board != "headless":
        # The screen is logged just before it is drawn: wait for the glass.
        result.connected_png = os.path.join(work_dir, "connected.png")
        if not _panel_without_qr(vb, result.connected_png, timeout):
            result.failure = "the QR code stayed on the panel after pairing"
            return
    result.token_file = os.path.join(vb.board.flash_dir, "devflow_tokens.bin")
    result.ok = os.path.exists(result.token_file)
    if not result.ok:
        result.failure = "paired but no token file in the flash folder"


def _expect(vb, result, needle, timeout, start):
    try:
        which, at = vb.board.wait_for_any((needle,) + _FAILED, timeout, start)
    except TimeoutError:
        result.failure = f"timed out waiting for {needle.decode()}"
        return None
    if which:
        result.failure = _FAILED[which - 1].decode()
        return None
    return at


def _fields(board, at, timeout):
    from host_tools.logparse import parse_line
    end = board.wait_for(b"\n", timeout, at)
    return parse_line(board.output[at:end].decode().strip())[1]


def _panel_qr(vb, png, timeout):
    # The pairing screen is drawn right after the code is logged; decode
    # the PNG (as a phone would read the glass) until a QR shows up.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if vb.panel.update():
            vb.panel.save_png(png)
            texts = read_qr(png)
            if texts:
                return texts[0]
        time.sleep(0.05)
    return None


def _panel_without_qr(vb, png, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        vb.panel.save_png(png)
        if not read_qr(png):
            return True
        time.sleep(0.05)
    return False
