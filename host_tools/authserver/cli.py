"""Command line: `python -m host_tools.authserver [options]`.

Prints one line to stdout, `BASE_URL` or `BASE_URL CA_PEM_PATH` with --tls,
then serves until Ctrl-C. Request logs (secret-free) go to stderr.
The lead's CLI table calls add_arguments(parser) and run(args).
"""

import argparse
import logging
import signal
import sys
import threading

from .server import DEMO_PASSWORD, DEMO_USERS, AuthServer
from .settings import CHARSETS, CLIENT_AUTH_METHODS, ServerSettings, SettingsError

PROG = "authserver"


def add_arguments(parser):
    d = ServerSettings()
    add = parser.add_argument
    add("--host", default=d.host, help="address to listen on (default %(default)s)")
    add("--port", type=int, default=d.port, help="port; 0 picks a free one")
    add("--interval", type=int, default=d.interval, help="poll interval in s")
    add("--ttl", type=int, default=d.ttl, help="device code lifetime in s")
    add("--charset", choices=sorted(CHARSETS), default=d.charset)
    add("--code-length", type=int, default=d.code_length, help="user code length, 6..12")
    add("--tls", action="store_true", help="serve https with a fresh trustme CA")
    add("--certs-dir", help="where to write ca.pem and ca.der (default: a temp dir)")
    add("--access-ttl", type=int, default=d.access_ttl, help="access token lifetime in s")
    add("--rotate-refresh", action="store_true", help="issue a new refresh token on refresh")
    add("--no-complete-uri", action="store_true", help="omit verification_uri_complete")
    add("--no-interval", action="store_true", help="omit interval (5 s is enforced)")
    add("--no-slow-down", action="store_true", help="never answer slow_down")
    add("--issuer-url", help="public base URL, if not the listening address")
    add("--client-id", default=d.client_id)
    add("--client-secret", default=d.client_secret)
    add("--client-auth", choices=CLIENT_AUTH_METHODS, default=d.token_endpoint_auth_method,
        help="the demo client's token_endpoint_auth_method")
    add("--scope", default=d.default_scope, help="scope when the client asks for none")
    add("-v", "--verbose", action="store_true", help="log HTTP details too")


def settings_from_args(args):
    return ServerSettings(
        host=args.host, port=args.port, interval=args.interval, ttl=args.ttl,
        charset=args.charset, code_length=args.code_length, tls=args.tls,
        certs_dir=args.certs_dir, access_ttl=args.access_ttl,
        rotate_refresh=args.rotate_refresh, complete_uri=not args.no_complete_uri,
        include_interval=not args.no_interval, enforce_slow_down=not args.no_slow_down,
        issuer_url=args.issuer_url, client_id=args.client_id,
        client_secret=args.client_secret, token_endpoint_auth_method=args.client_auth,
        default_scope=args.scope,
    )


def run(args, stop_event=None):
    """Serve until Ctrl-C (or until stop_event is set). Returns an exit code."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s authserver: %(message)s")
    # Only our own loggers go to debug: Authlib's debug lines contain tokens.
    logging.getLogger("authlib").setLevel(logging.WARNING)
    if args.verbose:
        logging.getLogger("host_tools.authserver").setLevel(logging.DEBUG)
    try:
        server = AuthServer(settings_from_args(args)).start()
    except (SettingsError, OSError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    line = server.base_url + (f" {server.ca_pem_path}" if server.ca_pem_path else "")
    print(line, flush=True)
    users = ", ".join(name for name, _ in DEMO_USERS)
    secret = "(public client)" if server.client_secret is None else "(secret set)"
    print(f"{PROG}: client_id={server.client_id} auth={server.token_endpoint_auth_method} "
          f"{secret}; open {server.base_url}/device; users {users}, "
          f"password {DEMO_PASSWORD}", file=sys.stderr, flush=True)
    stop_event = stop_event or threading.Event()
    if threading.current_thread() is threading.main_thread():
        # `make run` in the background, or a test runner, stops us with TERM.
        signal.signal(signal.SIGTERM, lambda *_: stop_event.set())
    try:
        while not stop_event.wait(3600):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m host_tools.authserver",
        description="Local OAuth 2.0 device authorization server (RFC 8628) for devflow.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))
