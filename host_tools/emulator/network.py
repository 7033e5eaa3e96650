"""Emulated `network` module: a Wi-Fi station that behaves like the ESP32's.

Board side (as on the port): WLAN(STA_IF / AP_IF), active(), connect(ssid,
key), disconnect(), isconnected(), status(), ifconfig(), config(); the
STAT_* constants with the ESP32 port's values.

Emulator side:
  configure(aps={"lab": "secret"}, connect_ms=1500)   the radio neighbourhood
  drop(for_ms=None)          the access point goes away (None: until restore())
  restore()                  it comes back; the station rejoins by itself
  sockets()                  a `socket` module for the agent's HTTP adapter:
                             no link, no connection (EHOSTUNREACH); DNS
                             failures and latency come from faults.py
Time is vclock's, so a connect delay costs nothing under a virtual clock.
State is module-level, like the radio: reset() forgets it.
"""

import errno
import socket as _socket
import types

from host_tools.emulator import vclock

STA_IF, AP_IF = 0, 1
STAT_IDLE, STAT_CONNECTING, STAT_GOT_IP = 1000, 1001, 1010
STAT_BEACON_TIMEOUT, STAT_NO_AP_FOUND, STAT_WRONG_PASSWORD = 200, 201, 202
STAT_ASSOC_FAIL, STAT_HANDSHAKE_TIMEOUT = 203, 204
SEC_OPEN, SEC_WPA2_PSK = 0, 3

_IFCONFIG = ("192.168.4.2", "255.255.255.0", "192.168.4.1", "192.168.4.1")
_DOWN_IFCONFIG = ("0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0")

_world = {}


def reset():
    _world.clear()
    _world.update(aps={}, connect_ms=1500, down_until=None, down=False, wlans={},
                  dns_fail=False, latency_ms=0, used=False)


reset()


def _now():
    return vclock.current().ms()


def configure(aps=None, connect_ms=None):
    if aps is not None:
        _world["aps"] = dict(aps)
    if connect_ms is not None:
        _world["connect_ms"] = connect_ms


def drop(for_ms=None):
    _world["down"] = True
    _world["down_until"] = None if for_ms is None else _now() + for_ms
    for wlan in _world["wlans"].values():
        wlan._lost()


def restore(at=None):
    """The access point is back (at virtual time `at`, default now)."""
    _world["down"] = False
    _world["down_until"] = None
    for wlan in _world["wlans"].values():
        wlan._rejoin(_now() if at is None else at)


def _air_up():
    until = _world["down_until"]
    if _world["down"] and until is not None and _now() >= until:
        restore(at=until)
    return not _world["down"]


class WLAN:
    """One interface; WLAN(STA_IF) twice is the same radio, as on a board."""

    def __new__(cls, interface=STA_IF):
        wlans = _world["wlans"]
        if interface not in wlans:
            wlan = object.__new__(cls)
            wlan._init(interface)
            wlans[interface] = wlan
        return wlans[interface]

    def _init(self, interface):
        self.interface, self._active, self._ssid, self._key = interface, False, None, None
        self._status, self._ready_at, self._config = STAT_IDLE, None, {"essid": "", "channel": 1}

    def active(self, flag=None):
        if flag is None:
            return self._active
        self._active = bool(flag)
        if not flag:
            self._status, self._ready_at = STAT_IDLE, None
        return None

    def connect(self, ssid=None, key=None, *, bssid=None):
        if not self._active:
            raise OSError("Wifi Not Started")   # what the ESP32 port raises
        _world["used"] = True
        self._ssid, self._key = ssid, key
        self._status, self._ready_at = STAT_CONNECTING, _now() + _world["connect_ms"]

    def disconnect(self):
        self._ssid, self._status, self._ready_at = None, STAT_IDLE, None

    def _lost(self):
        if self._status in (STAT_GOT_IP, STAT_CONNECTING):
            self._status, self._ready_at = STAT_BEACON_TIMEOUT, None

    def _rejoin(self, at):
        # The ESP32 keeps retrying a lost network; it rejoins when it is back.
        if self._ssid is not None and self._status == STAT_BEACON_TIMEOUT:
            self._status, self._ready_at = STAT_CONNECTING, at + _world["connect_ms"]

    def status(self, param=None):
        if param == "rssi":
            return -58
        self._settle()
        return self._status

    def _settle(self):
        up = _air_up()
        if self._status != STAT_CONNECTING or self._ready_at is None or _now() < self._ready_at:
            return
        aps = _world["aps"]
        if not up or self._ssid not in aps:
            self._status = STAT_NO_AP_FOUND
        elif aps[self._ssid] != (self._key or ""):
            self._status = STAT_WRONG_PASSWORD
        else:
            self._status = STAT_GOT_IP

    def isconnected(self):
        return self.status() == STAT_GOT_IP

    def ifconfig(self, config=None):
        if config is not None:
            return None
        return _IFCONFIG if self.isconnected() else _DOWN_IFCONFIG

    def config(self, *args, **kwargs):
        if kwargs:
            self._config.update(kwargs)
            return None
        if args and args[0] == "mac":
            return b"\x24\x0a\xc4\xde\xf1\x00"
        return self._config.get(args[0]) if args else None

    def scan(self):
        if not self._active or not _air_up():
            return []
        return [(ssid.encode(), b"\x24\x0a\xc4\x00\x00\x01", 1, -58, SEC_WPA2_PSK, False)
                for ssid in _world["aps"]]


def link_up():
    """True unless the board joined Wi-Fi and has lost it. A board whose
    config names no Wi-Fi uses the host's network as it is."""
    if not _world["used"]:
        return True
    sta = _world["wlans"].get(STA_IF)
    return sta is not None and sta.isconnected()


# -- the sockets the agent sees -------------------------------------------

class _Socket(_socket.socket):
    def connect(self, address):
        _gate()
        return super().connect(address)


def _gate():
    if _world["latency_ms"]:
        vclock.current().sleep_ms(_world["latency_ms"])
    if not link_up():
        raise OSError(errno.EHOSTUNREACH, "EHOSTUNREACH")


def _getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    if not link_up():
        raise OSError(-202, "no network")
    if _world["dns_fail"]:
        raise OSError(-202, "DNS lookup failed")   # lwIP's EAI_FAIL on the ESP32
    return _socket.getaddrinfo(host, port, family, type, proto, flags)


def sockets():
    mod = types.ModuleType("socket")
    mod.__dict__.update({k: v for k, v in vars(_socket).items() if not k.startswith("__")})
    mod.socket, mod.getaddrinfo = _Socket, _getaddrinfo
    return mod


def set_dns_failure(flag):
    _world["dns_fail"] = bool(flag)


def set_latency(ms):
    _world["latency_ms"] = ms


def bind_agent_sockets():
    """Give the agent's HTTP adapter this radio's sockets (on a board its
    `socket` module is the port's, behind the WLAN). Pass-through while no
    Wi-Fi is configured and no fault is set."""
    import sys
    http = sys.modules.get("devflow.adapters.http")
    if http is None:
        import devflow.adapters.http as http
    http.socket = sockets()


def offer_configured_ap(config_path, faults=None):
    """Put the network the device config names on the air, with its
    password, unless a fault (wrong password, no AP) says otherwise."""
    import json
    try:
        with open(config_path) as f:
            wifi = json.load(f).get("wifi")
    except (OSError, ValueError, AttributeError):
        return
    if not isinstance(wifi, dict) or not isinstance(wifi.get("ssid"), str):
        return
    password = wifi.get("password", "")
    if faults is not None:
        password = faults.ap_password(password)
        if password is None:
            return
    configure(aps={wifi["ssid"]: password})
