"""`run` and `demo`: the local authorization server and an emulated board
together. `run` waits for a person at the browser; `demo` plays the person
over HTTP and reports how long pairing took."""

import json
import sys
import tempfile
import threading
import time
from pathlib import Path


def add_arguments(parser):
    parser.add_argument("--board", default="esp32-ssd1306")
    parser.add_argument("--tls", action="store_true", help="serve https with a local test CA")
    parser.add_argument("--interval", type=int, default=2, help="poll interval the server asks for")
    parser.add_argument("--port", type=int, default=8765, help="authorization server port (0: any)")
    parser.add_argument("--screenshot", default="screen.png")
    parser.add_argument("--timeout", type=float, default=120)


def _start(args, workdir):
    from host_tools.authserver import AuthServer, ServerSettings
    settings = ServerSettings(port=args.port, interval=args.interval, tls=args.tls,
                              certs_dir=str(workdir))
    server = AuthServer(settings).start()
    config = {"issuer": server.issuer, "client_id": server.client_id,
              "scope": "openid profile offline_access"}
    if args.tls:
        config["ca_certs"] = server.ca_pem.decode()
    path = Path(workdir) / "devflow.json"
    path.write_text(json.dumps(config, indent=1))
    return server, path


def _emulator(args, config_path, workdir, terminal):
    from host_tools.emulator.runner import Emulator
    return Emulator(args.board, config_path, Path(workdir) / "flash", screenshot=args.screenshot,
                    show_terminal=terminal)


def run_interactive(args):
    from host_tools.authserver import DEMO_PASSWORD
    from host_tools.cli.emulate import _keys_unbuffered
    workdir = tempfile.mkdtemp(prefix="devflow-run-")
    server, config_path = _start(args, workdir)
    terminal = sys.stdout.isatty()
    emulator = _emulator(args, config_path, workdir, terminal)
    emulator.banner = [
        "Open %s/device in a browser (or scan the QR), enter the code shown," % server.base_url,
        "sign in as alice (password %s) and press Allow." % DEMO_PASSWORD,
        "Screen saved to %s.  Keys: space = button, l = long press, q = quit." % args.screenshot,
        "",
    ]
    for line in emulator.banner:
        print(line)
    try:
        with _keys_unbuffered(terminal):
            code = emulator.run()
    except KeyboardInterrupt:
        code = 0
    finally:
        server.stop()
    return code


def run_demo(args):
    from host_tools.authserver.user_agent import complete_device_flow
    from host_tools.emulator.runner import Emulator  # noqa: F401  (import cost before timing)
    from host_tools.logparse import parse_line
    workdir = tempfile.mkdtemp(prefix="devflow-demo-")
    server, config_path = _start(args, workdir)
    emulator = _emulator(args, config_path, workdir, False)
    result = {}
    started = time.monotonic()
    thread = threading.Thread(target=lambda: result.setdefault(
        "code", emulator.run(until="paired", timeout=args.timeout)), daemon=True)
    thread.start()
    try:
        if not emulator.wait_for(lambda e: any("pairing_code" in l for l in e.lines), args.timeout):
            print("devflow: demo: no pairing code shown", file=sys.stderr)
            return 1
        line = next(l for l in emulator.lines if "pairing_code" in l)
        fields = parse_line(line)[1]
        shown = time.monotonic()
        url = fields.get("verification_uri_complete") or fields["verification_uri"]
        complete_device_flow(url, fields["user_code"], cadata=server.ca_pem.decode() if args.tls else None)
        thread.join(args.timeout)
    finally:
        emulator.stop()
        server.stop()
    if result.get("code") != 0:
        print("devflow: demo: pairing failed (exit %s)" % result.get("code"), file=sys.stderr)
        return 1
    done = time.monotonic()
    print("devflow: demo: paired in %.2f s (code shown after %.2f s, approved-to-connected %.2f s)"
          % (done - started, shown - started, done - shown))
    return 0
