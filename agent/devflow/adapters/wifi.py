# Bringing the board online at boot: joining Wi-Fi before the first
# request, then setting the wall clock from NTP. Boards without Wi-Fi (the
# unix port, the emulator on a PC) have no `network.WLAN` and skip this.
# Boot only: app.main drops this module (and core/sntp.py) afterwards.
#
# The wall clock: intervals and deadlines never use it (they run on ticks);
# only the ID token's expiry check and TLS certificate dates do, and only
# when it is set.

from micropython import const

from devflow.core import sntp
from devflow.core.errors import ProtocolError
from devflow.core.logline import format_line

_CONNECT_TIMEOUT_MS = const(20000)


def _settings(config):
    # config: the decoded devflow.json (None when it could not be read; the
    # app says why, on the screen).
    wifi = config.get("wifi") if isinstance(config, dict) else None
    if isinstance(wifi, dict) and isinstance(wifi.get("ssid"), str):
        return wifi
    return None


def connect_from_config(board, config, clock, out=print):
    wifi = _settings(config)
    if wifi is None:
        return None
    try:
        import network
    except ImportError:
        return None
    wlan = network.WLAN(network.STA_IF)
    wlan.active(True)
    if not wlan.isconnected():
        # The password is a secret: only the network name is logged.
        out(format_line("wifi", {"ssid": wifi["ssid"], "state": "connecting"}))
        wlan.connect(wifi["ssid"], wifi.get("password", ""))
        waited = 0
        while not wlan.isconnected() and waited < _CONNECT_TIMEOUT_MS:
            clock.wait(200, lambda: False)
            waited += 200
    up = wlan.isconnected()
    out(format_line("wifi", {"ssid": wifi["ssid"], "state": "up" if up else "down"}))
    if up:
        from devflow.adapters.clock import BUILD_EPOCH_S
        sync(wifi.get("ntp_server", "pool.ntp.org"), BUILD_EPOCH_S, out)
    return wlan


# -- the wall clock, from NTP ---------------------------------------------

_NTP_PORT = const(123)
_TIMEOUT_S = const(2)


def query(host, build_epoch_s, tries=3):
    # Returns Unix seconds or None. Each try waits _TIMEOUT_S at most.
    import os
    import socket
    try:
        address = socket.getaddrinfo(host, _NTP_PORT)[0][-1]
    except OSError:
        return None
    for _ in range(tries):
        nonce = os.urandom(8)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.settimeout(_TIMEOUT_S)
            s.sendto(sntp.request(nonce), address)
            reply = s.recv(sntp.PACKET)
            return sntp.parse(reply, nonce, build_epoch_s)
        except (OSError, ProtocolError):
            pass
        finally:
            s.close()
    return None


def set_board_clock(unix_s):
    # machine.RTC counts from the port's epoch; gmtime gives its fields.
    import time
    try:
        from machine import RTC
    except ImportError:
        return False   # a PC: its clock is the host's business
    epoch_2000 = time.gmtime(0)[0] == 2000
    t = time.gmtime(unix_s - (946684800 if epoch_2000 else 0))
    RTC().datetime((t[0], t[1], t[2], t[6] + 1, t[3], t[4], t[5], 0))
    return True


def sync(host, build_epoch_s, out=print):
    unix = query(host, build_epoch_s)
    if unix is None:
        out(format_line("clock", {"state": "not_set", "source": host}))
        return False
    set_board_clock(unix)
    out(format_line("clock", {"state": "set", "source": host}))
    return True
