"""The serial commands for the CLI table: name -> (add_arguments, do, help).

Each `do_<name>(args)` takes an argparse namespace, returns an exit status
and raises ToolError for anything the user must fix; the CLI prints that as
`devflow: message` and exits with its status (1 unless said otherwise).
"""

import getpass
import json
import os
import sys

from . import build, deploy, devconfig, flash, monitor, provision, status
from .mpremote_cmd import Mpremote
from .ports import ENV_PORT, resolve_port
from .errors import ToolError
from .virtual_board import add_virtual_board_arguments, do_virtual_board

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _add_port(parser, timeout=20.0):
    parser.add_argument("--port", "-p", help=f"serial port or URL (socket://, rfc2217://); default ${ENV_PORT}, else the one USB board")
    parser.add_argument("--timeout", type=float, default=timeout, help="seconds to wait for the board (default %(default)s)")


def _board(args):
    return Mpremote(resolve_port(args.port), timeout=args.timeout)


def _add_tree(parser):
    parser.add_argument("--agent-dir", default=os.path.join(ROOT, "agent"), help="the agent tree (default: agent/)")
    parser.add_argument("--boards-dir", default=os.path.join(ROOT, "boards"), help="the board files (default: boards/)")


# ---- deploy ----

def add_deploy_arguments(parser):
    _add_port(parser)
    _add_tree(parser)
    parser.add_argument("--board", "-b", help="boards/<BOARD>.py, copied as /board.py")
    parser.add_argument("--source", action="store_true", help="copy .py files as they are (no mpy-cross)")
    parser.add_argument("--frozen", metavar="DIR", help="write DIR/manifest.py for a firmware build instead")


def do_deploy(args):
    if args.frozen:
        deploy.frozen(args.frozen, args.agent_dir, args.boards_dir, args.board)
        return 0
    deploy.deploy(_board(args), args.agent_dir, args.boards_dir, args.board, source=args.source)
    return 0


def make_package_json(agent_dir=None):
    """The content agent/package.json must have (mip install)."""
    return build.make_package_json(agent_dir or os.path.join(ROOT, "agent"))


# ---- provision ----

def add_provision_arguments(parser):
    _add_port(parser)
    parser.add_argument("--wifi-ssid", help="Wi-Fi network name")
    parser.add_argument("--wifi-password", help="Wi-Fi password (better: $DEVFLOW_WIFI_PASSWORD, or the prompt)")
    parser.add_argument("--issuer", help="OAuth issuer URL: endpoints are found by discovery")
    parser.add_argument("--device-authorization-endpoint", help="without --issuer: the device authorization URL")
    parser.add_argument("--token-endpoint", help="without --issuer: the token URL")
    parser.add_argument("--userinfo-endpoint")
    parser.add_argument("--revocation-endpoint")
    parser.add_argument("--client-id", help="the OAuth client id")
    parser.add_argument("--client-secret", help="confidential clients only (better: $DEVFLOW_CLIENT_SECRET)")
    parser.add_argument("--auth-method", choices=devconfig.AUTH_METHODS, help="token_endpoint_auth_method")
    parser.add_argument("--scope", help="space-separated scopes")
    parser.add_argument("--ca-file", help="PEM bundle of the CA(s) that sign the server's certificate")
    parser.add_argument("--dry-run", action="store_true", help="check and show the config (no secrets), write nothing")


def do_provision(args):
    settings = {
        "wifi_ssid": args.wifi_ssid,
        "wifi_password": _secret(args.wifi_password, "DEVFLOW_WIFI_PASSWORD", "Wi-Fi password (empty for an open network): "),
        "issuer": args.issuer,
        "device_authorization_endpoint": args.device_authorization_endpoint,
        "token_endpoint": args.token_endpoint,
        "userinfo_endpoint": args.userinfo_endpoint,
        "revocation_endpoint": args.revocation_endpoint,
        "client_id": args.client_id,
        "client_secret": _secret(args.client_secret, "DEVFLOW_CLIENT_SECRET", None),
        "auth_method": args.auth_method,
        "scope": args.scope,
        "ca_pem": _read_ca(args.ca_file),
    }
    config = provision.build_config(settings, timeout=args.timeout)
    if args.dry_run:
        devconfig.check(config)
        print(json.dumps(devconfig.redacted(config), indent=2, sort_keys=True))
        return 0
    shown = provision.write_config(_board(args), config)
    print(f"wrote {provision.CONFIG_PATH}:")
    print(json.dumps(shown, indent=2, sort_keys=True))
    return 0


def _secret(given, env, prompt):
    if given is not None:
        return given
    if os.environ.get(env) is not None:
        return os.environ[env]
    if prompt and sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    return ""


def _read_ca(path):
    if not path:
        return None
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        raise ToolError(f"cannot read the CA file {path}: {e.strerror}") from None


# ---- monitor ----

def add_monitor_arguments(parser):
    parser.add_argument("--port", "-p", help=f"serial port or URL; default ${ENV_PORT}, else the one USB board")
    parser.add_argument("--reset", action="store_true", help="reset the board first, to see it boot")
    parser.add_argument("--until", metavar="EVENT", help="stop after this event (e.g. pairing_code, paired)")
    parser.add_argument("--timeout", type=float, help="stop after this many seconds (an error with --until)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def do_monitor(args):
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    printer = monitor.Printer(monitor.load_parser(), color)
    monitor.monitor(resolve_port(args.port), printer, reset=args.reset, until=args.until, timeout=args.timeout)
    return 0


# ---- status, unpair, reset ----

def add_status_arguments(parser):
    _add_port(parser)
    parser.add_argument("--json", action="store_true", help="print the status as JSON")


def do_status(args):
    info = status.status(_board(args))
    print(json.dumps(info, indent=2, sort_keys=True) if args.json else status.format_status(info))
    return 0


def add_unpair_arguments(parser):
    _add_port(parser)


def do_unpair(args):
    had = status.unpair(_board(args))
    print("unpaired: token file deleted" if had else "not paired: there was no token file")
    return 0


def add_reset_arguments(parser):
    _add_port(parser)
    parser.add_argument("--method", choices=("auto", "lines", "repl", "soft"), default="auto",
                        help="lines: RTS/DTR (ESP32 dev kits); repl: machine.reset(); soft: soft reboot")


def do_reset(args):
    used = status.reset(_board(args), args.method)
    print(f"reset ({used})")
    return 0


# ---- flash ----

def add_flash_arguments(parser):
    parser.add_argument("firmware", help="MicroPython firmware .bin for the chip")
    parser.add_argument("--port", "-p", help=f"serial port; default ${ENV_PORT}, else the one USB board")
    parser.add_argument("--chip", default="esp32", choices=sorted(flash.FLASH_OFFSETS))
    parser.add_argument("--baud", type=int, default=460800)
    parser.add_argument("--erase", action="store_true", help="erase the whole flash first (loses files and pairing)")
    parser.add_argument("--dry-run", action="store_true", help="print the esptool commands only")


def do_flash(args):
    port = args.port or os.environ.get(ENV_PORT) or ("PORT" if args.dry_run else resolve_port(None))
    flash.flash(port, args.firmware, args.chip, args.baud, args.erase, args.dry_run)
    return 0


COMMANDS = {
    "deploy": (add_deploy_arguments, do_deploy, "compile and copy the agent to the board (only what changed)"),
    "provision": (add_provision_arguments, do_provision, "write the Wi-Fi and OAuth config to the board"),
    "monitor": (add_monitor_arguments, do_monitor, "show the board's log, with the pairing QR code"),
    "status": (add_status_arguments, do_status, "files, config (no secrets), pairing and free flash"),
    "unpair": (add_unpair_arguments, do_unpair, "delete the board's tokens"),
    "reset": (add_reset_arguments, do_reset, "reset the board"),
    "flash": (add_flash_arguments, do_flash, "write MicroPython firmware to an ESP32 (esptool)"),
    "virtual-board": (add_virtual_board_arguments, do_virtual_board, "run a MicroPython board on this PC (pty + socket://)"),
}
