"""Things that go wrong on a desk, on cue: for tests and the CLI.

    faults = Faults.parse(["wifi-drop@10s+5s", "latency=300ms"])
    Emulator(..., faults=faults)
    python -m host_tools emulate --fault wifi-drop@10s --fault dns-fail@3s+4s

Spec: NAME[@WHEN][+FOR][=VALUE]; times take ms / s / m (default s);
WHEN counts from boot on the board's clock (virtual or real).

    wifi-drop@10s[+5s]        the access point vanishes (for 5 s; else for good)
    dns-fail@5s[+10s]         name lookups fail
    latency[@5s]=300ms        every connection takes 300 ms longer to open
    power-cut@write3          power is lost during the 3rd flash write: half
                              the bytes land, then PowerCut (BaseException)
                              ends the run; boot again on the same flash
    clock-jump@20s=3600s      the wall clock steps (NTP, an RTC set by hand)
    ticks-wrap[=5s]           ticks_ms starts 5 s below its wrap-around
    wifi-wrong-password       the network is there, the key does not match
    wifi-no-ap                the configured network is not on the air
"""

from host_tools.emulator import network, vclock
from host_tools.emulator.runner import import_agent

import_agent()   # the agent's own file seam is what a power cut interrupts
from devflow.adapters.storage import OsFs  # noqa: E402

_UNITS = {"ms": 1, "s": 1000, "m": 60000}


class FaultError(ValueError):
    """A fault spec that cannot be understood; the message says the form."""


class PowerCut(BaseException):
    """The board lost power mid-write; BaseException so no `except
    Exception` in the agent can swallow it."""


def _ms(text, spec):
    for unit in ("ms", "s", "m"):
        if text.endswith(unit) and text[:-len(unit)].replace(".", "", 1).isdigit():
            return float(text[:-len(unit)]) * _UNITS[unit]
    if text.replace(".", "", 1).isdigit():
        return float(text) * 1000
    raise FaultError("fault %r: %r is not a time like 10s or 300ms" % (spec, text))


class Fault:
    def __init__(self, spec):
        self.spec, rest = spec, spec
        self.value = self.duration = self.at = None
        if "=" in rest:
            rest, self.value = rest.split("=", 1)
        if "+" in rest:
            rest, dur = rest.split("+", 1)
            self.duration = _ms(dur, spec)
        if "@" in rest:
            rest, at = rest.split("@", 1)
            self.at = at
        self.name = rest
        if self.name not in _ACTIONS:
            raise FaultError("unknown fault %r (known: %s)" % (spec, ", ".join(sorted(_ACTIONS))))
        self.fired = False

    def at_ms(self):
        return 0.0 if self.at is None or self.at.startswith("write") else _ms(self.at, self.spec)


def _wifi_drop(f, emu):
    network.drop(f.duration)


def _dns_fail(f, emu):
    network.set_dns_failure(True)
    if f.duration:
        f.pending = ("dns-restore", f.fired_at + f.duration)


def _latency(f, emu):
    network.set_latency(_ms(f.value or "300ms", f.spec))


def _clock_jump(f, emu):
    emu.clock.jump_wall(_ms(f.value or "3600s", f.spec) / 1000)


def _nothing(f, emu):
    pass   # acts at boot or through the flash


_ACTIONS = {"wifi-drop": _wifi_drop, "dns-fail": _dns_fail, "latency": _latency,
            "clock-jump": _clock_jump, "power-cut": _nothing, "ticks-wrap": _nothing,
            "wifi-wrong-password": _nothing, "wifi-no-ap": _nothing}


class Faults:
    def __init__(self, faults):
        self.faults = list(faults)
        self.boot_ms = 0.0
        self.writes = 0
        self.log = []        # (ms since boot, spec) as they fire

    @classmethod
    def parse(cls, specs):
        return cls(Fault(s) for s in specs or ())

    def _named(self, name):
        return [f for f in self.faults if f.name == name]

    def at_boot(self, emu):
        for f in self._named("ticks-wrap"):
            # The board's ticks start just below 2**30 and wrap soon.
            emu.clock.start_ticks = vclock.PERIOD - int(_ms(f.value or "5s", f.spec)) \
                - int(emu.clock.ms())
        self.boot_ms = emu.clock.ms()

    def ap_password(self, password):
        if self._named("wifi-no-ap"):
            return None
        if self._named("wifi-wrong-password"):
            return password + "-not"
        return password

    def poll(self, emu):
        """Fire what is due; called by the runner before each app step."""
        now = emu.clock.ms() - self.boot_ms
        for f in self.faults:
            if not f.fired and (f.at is None or not f.at.startswith("write")) and now >= f.at_ms():
                f.fired, f.fired_at, f.pending = True, now, None
                _ACTIONS[f.name](f, emu)
                self.log.append((int(now), f.spec))
                emu._print("emulator: fault %s" % f.spec)
            pending = getattr(f, "pending", None)
            if pending and now >= pending[1]:
                f.pending = None
                network.set_dns_failure(False)

    def flash(self):
        cuts = self._named("power-cut")
        if not cuts:
            return None
        return PowerCutFs(self, int(cuts[0].at[len("write"):] if cuts[0].at else 1))


class _CutFile:
    def __init__(self, f, fs):
        self._f, self._fs = f, fs

    def write(self, data):
        fs = self._fs
        fs.owner.writes += 1
        if fs.owner.writes == fs.cut_at:
            # What reaches flash before the supply collapses: half.
            self._f.write(data[:len(data) // 2])
            self._f.flush()
            self._f.close()
            raise PowerCut("power cut at flash write %d" % fs.cut_at)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


class PowerCutFs(OsFs):
    """The token store's fs seam (open, rename, remove) on the host's disk,
    losing power at the Nth write() to a file opened for writing."""

    def __init__(self, owner, cut_at):
        OsFs.__init__(self)
        self.owner, self.cut_at = owner, cut_at

    def open(self, path, mode):
        f = open(path, mode)
        return _CutFile(f, self) if ("w" in mode or "a" in mode) else f
