"""The agent's heap on a 32-bit MicroPython, beside the 64-bit unix port.

    .venv/bin/python bench/wasm32/run.py [--agent DIR]

(--agent: another copy of agent/, e.g. an older tree from `git archive`.)

bench/agent_bench.py measures on the unix port, which is 64-bit; boards
(ESP32, Pico W) are 32-bit, with pointers and object headers half the size.
This runs the same measurements on the MicroPython webassembly port (npm
@micropython/micropython-webassembly-pyscript, pinned in package.json;
wasm32, so 32-bit) under Node.js, and on the 64-bit unix port
(.venv/bin/micropython), and prints the ratio:

(1) import cost of each agent module, agent_bench's method and order
    (IMPORT_ORDER): gc.collect(); gc.mem_alloc() deltas, .mpy files from
    the filesystem (agent compiled by install_agent, as on the virtual board).
(2) the smallest heap (binary search, 16 B steps, on the heap size the
    port starts with) for: the probe's setup alone ("empty"); setup + every
    agent module imported; the same + the pairing screen for a 51-byte
    complete URI drawn by devflow.adapters.display on a 128x64 MONO_VLSB
    framebuf panel.

The webassembly port collects garbage only when a call from JS returns (it
cannot scan the wasm stack: gc.collect() inside Python only marks a
collection as due), and grows its heap instead of failing. So the probe is
cut into top-level parts (one per import, the draw on its own; runner.mjs),
garbage goes between parts, and a probe "fits" a heap when that heap never
had to grow (checked at the end of every part, before the collection). The
unix port is measured twice: "like for like", the same parts with automatic
collection off (gc.disable(), gc.collect() between parts), which is what the
32/64 ratio compares; and "as normal", collection on, agent_bench's kind of
figure. The like-for-like figure holds each part's garbage, so it is above
the normal one; divide a normal 64-bit figure by the ratio to estimate a
32-bit board.

Modules the port lacks (socket, tls, ...) get an empty stub module, written
only into the port's virtual filesystem and imported during setup, so that
it costs nothing in the per-module figures; the output says which.
A table to stdout, JSON to bench/results/wasm32.json. Nothing is asserted.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path[:0] = [ROOT, os.path.join(ROOT, "bench")]

from agent_bench import IMPORT_ORDER  # noqa: E402
from host_tools.serial.agent_board import install_agent  # noqa: E402
from host_tools.serial.tools import find_program  # noqa: E402

PACKAGE = "@micropython/micropython-webassembly-pyscript"
RESULTS = os.path.join(ROOT, "bench", "results", "wasm32.json")
BOARD = "esp32-ssd1306"
STEP = 16           # binary search resolution, bytes (a wasm32 GC block)
BIG_HEAP = 1 << 20  # for the import costs and the first runs, as agent_bench
COMPLETE = "https://auth.example.com/device?user_code=WDJB-MJHT"  # 51 bytes, as tests/display
SHORT = "https://auth.example.com/device"
WASM_MAX_NEW_SPLIT = 128 << 20  # gc_get_max_new_split() of the webassembly port
TOP = "#@top\n"     # runner.mjs: a top-level call ends here (garbage is collected)

METHOD = (
    "Smallest heap: binary search on the heap size each port starts with (unix: -X heapsize; webassembly: "
    "loadMicroPython({heapsize})), %d B steps. The webassembly port cannot scan the wasm stack, so it collects "
    "garbage only when a call from JS returns (gc.collect() inside Python marks a collection as due) and grows "
    "its heap where another port would raise MemoryError. The probe is therefore run as top-level parts (setup; "
    "one part per agent module import; the panel, screen and Display; the draw), each ending with "
    "gc.collect(); on the webassembly port a probe fits when its heap never grew (gc.mem_alloc() + "
    "gc.mem_free() checked at the end of every part against what the starting heap gives). unix64 like-for-like: "
    "the same parts with gc.disable(), so garbage is collected only between parts on both ports (the 64/32 "
    "ratio); unix64 normal: the collector on. Import costs: agent_bench's _IMPORT_PROBE method and "
    "IMPORT_ORDER (gc.collect(); gc.mem_alloc() deltas), 1 MB heap, .mpy from the filesystem. Firmware modules "
    "the webassembly port lacks are empty stub modules in its virtual filesystem, imported in setup." % STEP)

# ---- the probe program (the same text on both ports) ----

_SETUP = """
import gc, sys
sys.path[:0] = [FLASH]
sys.path.append(STUBS)
for _m in STUB_NAMES:
    __import__(_m)
if GC_OFF:
    gc.disable()

def _check():
    # The webassembly port grows its heap where another port would raise
    # MemoryError: a part that made it grow did not fit. (LIMIT is 0 on
    # the unix port, whose heap cannot grow.)
    if LIMIT and gc.mem_alloc() + gc.mem_free() > LIMIT:
        raise MemoryError("heap grew")

_prev = 0
_base = [0]
def _step(i):
    # agent_bench's _IMPORT_PROBE, one module per top-level part.
    global _prev
    a = gc.mem_alloc()
    if i >= 0:
        print("%s %d" % (MODS[i], a - _prev))
    else:
        _base[0] = a
    _prev = a
    if i + 1 < len(MODS):
        __import__(MODS[i + 1])
"""

_DRAW_SETUP = """
import framebuf
from devflow.adapters.display import MONO, Display
from devflow.core import screens

class _Panel(framebuf.FrameBuffer):
    # A 128x64 MONO_VLSB panel (the SSD1306's layout), as tests/display makes it.
    def __init__(self, w, h):
        self.width = w
        self.height = h
        self.buffer = bytearray(w * ((h + 7) // 8))
        super().__init__(self.buffer, w, h, framebuf.MONO_VLSB)

    def show(self):
        pass

_panel = _Panel(128, 64)
_screen = screens.pairing("WDJB-MJHT", SHORT, COMPLETE, None, 600000)
_display = Display(_panel, 128, 64, MONO)
"""

_DRAW = "_display.draw(_screen, 0)\n"
_DRAWN = "print('drawn %d %d' % (sum(_panel.buffer), len(_panel.buffer)))\n"


def program(flash, stubs, stub_names, mods, gc_off, imports, draw, costs=False, limit=0):
    """The probe's text. Every part ends with _check() and gc.collect(): the
    unix port collects there; the webassembly port (limit > 0) marks a
    collection as due and does it when the part, run as its own top-level
    call, returns (and only then frees a grown heap area, so _check, at the
    end of the part, sees any growth the part caused, its compilation too)."""
    head = "FLASH=%r\nSTUBS=%r\nSTUB_NAMES=%r\nMODS=%r\nGC_OFF=%r\nSHORT=%r\nCOMPLETE=%r\nLIMIT=%d\n" % (
        flash, stubs, tuple(stub_names), tuple(mods), gc_off, SHORT, COMPLETE, limit)
    parts = [head + _SETUP]
    if imports:
        parts += ["_step(%d)\n" % i for i in range(-1, len(mods))]
        if costs:
            parts.append("print('total %d' % (_prev - _base[0]))\n")
    if draw:
        parts += [_DRAW_SETUP, _DRAW, _DRAWN]
    parts.append("print('done')\n")
    end = "_check()\ngc.collect()\n" + (TOP if limit else "")
    return end.join(parts) + end


# ---- running it ----

def _json(path):
    with open(path) as f:
        return json.load(f)


def ensure_npm():
    """Install the pinned package into bench/wasm32/node_modules if missing."""
    want = _json(os.path.join(HERE, "package.json"))["dependencies"][PACKAGE]
    installed = os.path.join(HERE, "node_modules", PACKAGE, "package.json")
    if os.path.exists(installed) and _json(installed).get("version") == want:
        return want
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("wasm32: npm is not installed (apt-get install nodejs npm)")
    verb = "ci" if os.path.exists(os.path.join(HERE, "package-lock.json")) else "install"
    print(f"wasm32: npm {verb} ({PACKAGE}@{want})", flush=True)
    subprocess.run([npm, verb, "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300)
    return want


class Wasm:
    name = "wasm32"

    def __init__(self, flash, stubs):
        self.flash, self.stubs = flash, stubs
        self.node = shutil.which("node")
        if self.node is None:
            raise SystemExit("wasm32: node is not installed")

    def run(self, text, heap, work):
        path = os.path.join(work, "probe.py")
        with open(path, "w") as f:
            f.write(text)
        r = subprocess.run([self.node, os.path.join(HERE, "runner.mjs"), "--heap", str(heap),
                            "--dir", self.flash + ":/flash", "--dir", self.stubs + ":/stubs", path],
                           cwd=HERE, capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout, r.stderr

    def paths(self):
        return "/flash", "/stubs"

    @staticmethod
    def limit(heap):
        # gc.mem_alloc() + gc.mem_free() while the heap has not grown: the
        # pool gc_init makes of `heap` bytes (16 B blocks, 2 allocation-table
        # bits and 1 finaliser bit each, one gap byte), plus the 128 MiB this
        # port reports as room for new heap areas. check_wasm_limit() checks it.
        return (heap - 1) * 8 // 524 * 64 + WASM_MAX_NEW_SPLIT


class Unix:
    name = "unix64"

    def __init__(self, flash, stubs):
        self.flash, self.stubs = flash, stubs
        self.exe = find_program("micropython")

    def run(self, text, heap, work):
        path = os.path.join(work, "probe.py")
        with open(path, "w") as f:
            f.write(text)
        env = dict(os.environ)
        env.pop("MICROPYPATH", None)
        r = subprocess.run([self.exe, "-X", "heapsize=%d" % heap, path], cwd=work, env=env,
                           capture_output=True, text=True, timeout=60)
        return r.returncode, r.stdout, r.stderr

    def paths(self):
        return self.flash, self.stubs

    @staticmethod
    def limit(heap):
        return 0


def present(flash):
    """IMPORT_ORDER less the modules the flash does not hold (agent_bench's
    list can lag behind a module that was merged away)."""
    def found(mod):
        base = os.path.join(flash, *mod.split("."))
        return any(os.path.exists(base + ext) for ext in (".mpy", ".py", "/__init__.mpy", "/__init__.py"))
    mods = [m for m in IMPORT_ORDER if found(m)]
    return mods, [m for m in IMPORT_ORDER if m not in mods]


MODS = list(IMPORT_ORDER)  # set by main() to the modules present


def probe(port, work, stub_names, gc_off, imports, draw, heap, costs=False):
    flash, stubs = port.paths()
    text = program(flash, stubs, stub_names, MODS, gc_off, imports, draw, costs, port.limit(heap))
    rc, out, err = port.run(text, heap, work)
    ok = rc == 0 and out.rstrip().endswith("done")
    return ok, out, err


def min_heap(port, work, stub_names, gc_off, imports, draw, lo=1024, hi=BIG_HEAP):
    # Invariant: lo fails (or is untested), hi fits.
    ok, out, err = probe(port, work, stub_names, gc_off, imports, draw, hi)
    if not ok:
        return None, (err or out).strip().splitlines()[-1:]
    n = 0
    while hi - lo > STEP:
        mid = (lo + hi) // 2 // STEP * STEP
        n += 1
        if probe(port, work, stub_names, gc_off, imports, draw, mid)[0]:
            hi = mid
        else:
            lo = mid
    return hi, n


# ---- stubs and the .mpy check ----

def check_wasm_limit(wasm, work):
    # The growth check relies on Wasm.limit(): see that it is the sum the
    # port reports for a fresh heap, at a few sizes.
    for heap in (4096, 100000, BIG_HEAP):
        rc, out, err = wasm.run("import gc\nprint(gc.mem_alloc() + gc.mem_free())\n", heap, work)
        if rc != 0 or out.strip() != str(Wasm.limit(heap)):
            raise SystemExit("wasm32: heap %d reports %r, not %d: the growth check does not fit this port"
                             % (heap, (out or err).strip(), Wasm.limit(heap)))


_MISSING = re.compile(r"no module named '([\w.]+)'")


def discover(wasm, work, stub_dir, out=print):
    """Run imports + draw on the webassembly port with a big heap; stub each
    missing firmware module (an empty module) until it runs."""
    names = []
    for _ in range(8):
        ok, text, err = probe(wasm, work, names, False, True, True, BIG_HEAP)
        if ok:
            return names, None
        m = _MISSING.search(err)
        if not m or m.group(1).split(".")[0] in ("devflow", "app") or m.group(1) in names:
            return names, (err or text).strip()
        missing = m.group(1)
        # MicroPython >= 1.23 firmware calls it tls (ssl is the old name the
        # agent falls back to): stub the name a board has.
        if missing == "ssl" and "tls" not in names:
            missing = "tls"
        out(f"  wasm32 lacks '{missing}': an empty stub module in its virtual filesystem only")
        with open(os.path.join(stub_dir, missing + ".py"), "w") as f:
            f.write("# Empty stand-in so that the import succeeds (bench/wasm32/run.py); no behaviour.\n")
        names.append(missing)
    return names, "too many missing modules"


def parse_costs(text):
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("-").isdigit():
            rows[parts[0]] = int(parts[1])
    return rows


def drawn(text):
    m = re.search(r"^drawn (\d+) (\d+)$", text, re.M)
    return [int(m.group(1)), int(m.group(2))] if m else None


def main(argv):
    started = time.monotonic()
    agent_dir = os.path.join(ROOT, "agent")
    if "--agent" in argv:
        agent_dir = os.path.abspath(argv[argv.index("--agent") + 1])
    version = ensure_npm()
    report = {"agent": os.path.relpath(agent_dir, ROOT), "package": f"{PACKAGE}@{version}", "board": BOARD,
              "import_order": list(IMPORT_ORDER), "step_bytes": STEP, "method": METHOD}
    with tempfile.TemporaryDirectory(prefix="devflow-wasm32-") as work:
        flash = os.path.join(work, "flash")
        stubs = os.path.join(work, "stubs")
        os.makedirs(stubs)
        config = os.path.join(work, "devflow.json")
        with open(config, "w") as f:
            json.dump({"client_id": "bench"}, f)  # not read: install_agent wants one
        install_agent(flash, BOARD, config, agent_dir=agent_dir)
        wasm, unix = Wasm(flash, stubs), Unix(flash, stubs)
        MODS[:], skipped = present(flash)
        report["modules"], report["skipped"] = list(MODS), skipped
        if skipped:
            print("IMPORT_ORDER (bench/agent_bench.py) lists modules the agent no longer has, skipped: "
                  + ", ".join(skipped))

        # Does the 1.27 port load .mpy files from our mpy-cross (v6.3)?
        check = "import sys\nsys.path[:0] = ['/flash']\nimport %s as m\nprint(m.__file__)\n" % MODS[0]
        rc, out, err = wasm.run(check, BIG_HEAP, work)
        mpy_ok = rc == 0 and out.strip().endswith(".mpy")
        report["mpy_loaded"] = mpy_ok
        report["mpy_check"] = (out + err).strip()
        if mpy_ok:
            print(f"wasm32: .mpy v6.3 from our mpy-cross loads ({out.strip()})")
        else:
            print(f"wasm32: .mpy v6.3 does not load ({(err or out).strip()}); using the .py sources on BOTH ports")
            install_agent(flash, BOARD, config, agent_dir=agent_dir, source=True)

        check_wasm_limit(wasm, work)
        stub_names, failure = discover(wasm, work, stubs)
        report["stubs"] = stub_names
        if failure:
            print("wasm32: the probe fails even with a 1 MB heap:\n" + failure)
            ok, out, err = probe(unix, work, stub_names, False, True, True, BIG_HEAP)
            print("unix64: the same probe %s" % ("runs: a wasm32 difference" if ok else
                                                 "fails too, so the agent itself does not import:\n"
                                                 + (err or out).strip()))
            report["failure"] = failure
            write(report)
            return 1

        # (1) import costs
        costs = {}
        for port in (wasm, unix):
            ok, out, err = probe(port, work, stub_names, False, True, True, BIG_HEAP, costs=True)
            if not ok:
                print(f"{port.name}: import probe failed: {(err or out).strip()}")
                return 1
            costs[port.name] = parse_costs(out)
            report.setdefault("drawn_checksum", {})[port.name] = drawn(out)
        report["import_costs"] = costs

        # (2) + (3) smallest heaps
        heaps = {}
        runs = (("wasm32", wasm, False), ("unix64_like_for_like", unix, True), ("unix64_normal", unix, False))
        for label, port, gc_off in runs:
            row = {}
            for what, imports, draw in (("empty", False, False), ("imports", True, False),
                                        ("imports_draw", True, True)):
                t = time.monotonic()
                heap, info = min_heap(port, work, stub_names, gc_off, imports, draw)
                row[what] = heap
                row[what + "_s"] = round(time.monotonic() - t, 1)
                row[what + ("_probes" if heap else "_failure")] = info
                print(f"  {label:22s} {what:13s} {heap if heap else '-':>8} B  ({row[what + '_s']} s)")
            heaps[label] = row
        report["min_heap"] = heaps
    report["seconds"] = round(time.monotonic() - started, 1)
    write(report)
    print_table(report)
    return 0


def write(report):
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)


def _ratio(a, b):
    return "%.2f" % (a / b) if a and b else "-"


def print_table(r):
    c32, c64 = r["import_costs"]["wasm32"], r["import_costs"]["unix64"]
    print()
    print("(1) import cost, B: .mpy from the filesystem, gc.collect(); gc.mem_alloc() deltas")
    print("    %-44s %7s  %7s  %5s" % ("", "wasm32", "unix64", "64/32"))
    for name in r["modules"] + ["total"]:
        a, b = c32.get(name), c64.get(name)
        print("    %-44s %7s  %7s  %5s" % (name, a if a is not None else "-", b if b is not None else "-",
                                           _ratio(b, a)))
    print("    (a module's row includes any qstr pool chunk its names overflowed into, and names one")
    print("     port's firmware has built in and the other must intern: compare the totals)")
    h = r["min_heap"]
    w, u, n = h["wasm32"], h["unix64_like_for_like"], h["unix64_normal"]
    print()
    print("(2)(3) smallest heap, B (%d B steps)" % r["step_bytes"])
    print("    %-30s %7s  %21s  %5s  %13s  %11s" % ("", "wasm32", "unix64 like-for-like", "64/32", "unix64 normal",
                                                   "32-bit est."))
    for what, label in (("empty", "probe setup only *"), ("imports", "+ all agent modules"),
                        ("imports_draw", "+ pairing screen drawn")):
        ratio = _ratio(u[what], w[what]) if what != "empty" else ""
        print("    %-30s %7s  %21s  %5s  %13s" % (label, w[what] or "-", u[what] or "-", ratio, n[what] or "-"))
    for what, label in (("imports", "agent modules, net of setup"), ("imports_draw", "modules + draw, net")):
        if w[what] and w["empty"] and u[what] and u["empty"]:
            a, b = w[what] - w["empty"], u[what] - u["empty"]
            nn = n[what] - n["empty"] if n[what] and n["empty"] else None
            est = "%d" % (nn * a / b) if nn else "-"
            print("    %-30s %7d  %21d  %5s  %13s  %11s" % (label, a, b, _ratio(b, a),
                                                           nn if nn is not None else "-", est))
    print("    * each port's own start-up and the probe's setup: not comparable between ports")
    print("    32-bit est. = unix64 normal x wasm32 / unix64 like-for-like (the normal figure on a 32-bit heap)")
    print()
    print("  .mpy v6.3 loaded by the 1.27 wasm port: %s" % ("yes" if r["mpy_loaded"] else "NO: .py sources used"))
    if r["skipped"]:
        print("  in IMPORT_ORDER but not in agent/ (skipped): " + ", ".join(r["skipped"]))
    if r["stubs"]:
        print("  stubbed on wasm32 only (empty modules in its virtual filesystem, imported in setup): "
              + ", ".join(r["stubs"]))
    d = r.get("drawn_checksum", {})
    if d:
        same = d.get("wasm32") == d.get("unix64")
        print("  pairing screen pixels (byte sum, length): wasm32 %s, unix64 %s%s"
              % (d.get("wasm32"), d.get("unix64"), "" if same else "  DIFFER"))
    print("  like-for-like: garbage collected only between parts on both ports (the wasm port cannot "
          "collect inside a call); 'normal' is the unix port with its collector on")
    print("  %s; %.0f s. JSON: %s" % (r["package"], r["seconds"], os.path.relpath(RESULTS, ROOT)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
