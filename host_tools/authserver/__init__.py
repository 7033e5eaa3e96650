"""devflow's local OAuth 2.0 authorization server (RFC 8628 device flow).

    from host_tools.authserver import AuthServer, ServerSettings
    server = AuthServer(ServerSettings(interval=1, tls=True)).start()

Files: settings (knobs), server (lifecycle, test hooks), app (routes),
endpoints (JSON endpoints), oauth + grants (Authlib glue and grants),
pages + templates (verification pages), store + models (state), tls,
httpserver, events, faults, keys (ID token), user_agent (a person over
HTTP), cli (command line).
"""

from .clock import FakeClock
from .server import DEMO_PASSWORD, DEMO_USERS, AuthServer
from .settings import ServerSettings, SettingsError


def main(argv=None):
    from .cli import main as cli_main

    return cli_main(argv)


def add_arguments(parser):
    from .cli import add_arguments as cli_add_arguments

    return cli_add_arguments(parser)


def run(args):
    from .cli import run as cli_run

    return cli_run(args)


__all__ = [
    "AuthServer", "ServerSettings", "SettingsError", "FakeClock",
    "DEMO_USERS", "DEMO_PASSWORD", "main", "add_arguments", "run",
]
