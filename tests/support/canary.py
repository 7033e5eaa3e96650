"""The suite-wide secret canary: taps on the real parts that see secrets.

Every AuthServer records, when it stops, every secret it issued (device
codes, access, refresh and ID tokens, its client secret); every emulated board
and every virtual board (the real MicroPython) records what it printed.
tests/zz_canary checks, after the rest of the suite, that no secret
reached any printed line, raw, URL-encoded or base64.
"""

import base64
import urllib.parse

SECRETS = set()
PRINTED = []


def encodings(secret):
    """The forms a leaked secret would take: raw, URL-encoded, base64."""
    raw = secret.encode()
    yield secret
    yield urllib.parse.quote(secret, safe="")
    yield base64.b64encode(raw).decode().rstrip("=")
    yield base64.urlsafe_b64encode(raw).decode().rstrip("=")


def issued(server):
    """Every secret this server handed out (ID tokens too), and its client
    secret."""
    store = server.store
    with store.lock:
        found = list(store._devices) + list(store._by_access) + list(store._by_refresh)
        found += [r.id_token for r in store._by_access.values() if r.id_token]
    if server.client_secret:
        found.append(server.client_secret)
    return found


def install():
    """Wraps the three places; returns a function that unwraps them."""
    from host_tools.authserver import AuthServer
    from host_tools.emulator.runner import Emulator
    from host_tools.serial.virtual_board import VirtualBoard

    originals = (AuthServer.stop, Emulator._print, VirtualBoard.stop)

    def server_stop(self):
        SECRETS.update(issued(self))
        return originals[0](self)

    def emulator_print(self, line):
        PRINTED.append(line)
        return originals[1](self, line)

    def board_stop(self):
        PRINTED.append(self.output.decode("utf-8", "replace"))
        return originals[2](self)

    AuthServer.stop, Emulator._print, VirtualBoard.stop = server_stop, emulator_print, board_stop

    def uninstall():
        AuthServer.stop, Emulator._print, VirtualBoard.stop = originals
    return uninstall
