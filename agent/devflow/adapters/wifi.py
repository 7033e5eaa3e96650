# Joining Wi-Fi before the first request, then setting the wall clock from
# NTP. Boards without Wi-Fi (the unix port, the emulator on a PC) have no
# `network.WLAN` and skip this.

import json

from devflow.core.logline import format_line

CONNECT_TIMEOUT_MS = 20000


def _settings(path):
    try:
        with open(path) as f:
            wifi = json.loads(f.read(16384)).get("wifi")
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(wifi, dict) and isinstance(wifi.get("ssid"), str):
        return wifi
    return None


def connect_from_config(board, path, clock, out=print):
    wifi = _settings(path)
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
        while not wlan.isconnected() and waited < CONNECT_TIMEOUT_MS:
            clock.wait(200, lambda: False)
            waited += 200
    up = wlan.isconnected()
    out(format_line("wifi", {"ssid": wifi["ssid"], "state": "up" if up else "down"}))
    if up:
        from devflow.adapters.clock import BUILD_EPOCH_S
        from devflow.adapters.ntp import sync
        sync(wifi.get("ntp_server", "pool.ntp.org"), BUILD_EPOCH_S, out)
    return wlan
