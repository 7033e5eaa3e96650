"""Screenshots of every board's pairing and connected screens, for the docs.

    python -m host_tools.emulator.make_screenshots [--out docs/screens]

Each board file runs in the emulator against the local authorization
server, on a manual virtual clock with a fixed user code and public URL,
so the pictures are the same on every run (and equal to the test goldens,
scaled by the board's png_scale). The panel is read from the emulated
display controller, as everywhere else.
"""

import argparse
import json
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE, PUBLIC_URL = "BCDF-GHJK", "https://devflow.test"


def _server(clock):
    from host_tools.authserver import AuthServer, ServerSettings, oauth
    oauth.new_user_code = lambda charset, length: CODE   # same picture every run
    return AuthServer(ServerSettings(interval=1, issuer_url=PUBLIC_URL, clock=clock.wall_s)).start()


def _config(server, folder):
    local = "http://127.0.0.1:%d" % server.port
    path = Path(folder) / "devflow.json"
    path.write_text(json.dumps({"client_id": server.client_id, "scope": "openid profile",
                                "device_authorization_endpoint": local + "/oauth2/device/authorize",
                                "token_endpoint": local + "/oauth2/token"}))
    return path


def _has_qr(emu):
    import zxingcpp
    image, scale = emu.image, emu.spec.png_scale
    if image is None:
        return False
    return bool(zxingcpp.read_barcodes(image.resize((image.width * scale, image.height * scale))))


def _save(image, spec, path):
    image.resize((image.width * spec.png_scale, image.height * spec.png_scale)).save(path)


def shoot(board, out_dir, timeout=30):
    """Run one board to its pairing and connected screens; returns the files."""
    from host_tools.emulator.runner import Emulator
    from host_tools.emulator.vclock import VirtualClock
    clock = VirtualClock(manual=True)
    server = _server(clock)
    try:
        with tempfile.TemporaryDirectory() as folder:
            emu = Emulator(board, _config(server, folder), Path(folder) / "flash",
                           out=lambda line: None, clock=clock)
            thread = threading.Thread(target=emu.run, kwargs={"until": "paired"}, daemon=True)
            thread.start()
            # The pairing frame is on the glass once its QR reads back (the
            # log line comes a moment before the panel is read).
            if not emu.wait_for(lambda e: e.state == "polling" and _has_qr(e), timeout):
                raise RuntimeError("%s: no pairing screen" % board)
            files = [out_dir / (board + "-pairing.png"), out_dir / (board + "-connected.png")]
            _save(emu.image, emu.spec, files[0])
            server.approve(CODE)
            clock.run_free()
            thread.join(timeout)
            _save(emu.image, emu.spec, files[1])
            return files
    finally:
        server.stop()


def main(argv=None):
    from host_tools.emulator.boards import BOARDS
    parser = argparse.ArgumentParser(prog="make_screenshots")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    parser.add_argument("--board", action="append", help="only these boards")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.board or sorted(BOARDS):
        if name == "headless":
            continue   # no panel: nothing to photograph
        for path in shoot(name, out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
