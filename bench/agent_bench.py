"""Memory and flash budgets of the agent on the real MicroPython unix port.

    .venv/bin/python bench/agent_bench.py [--quick | --sizes | --map | --min-heap] [--frozen | --firmware]

(a) heap: the smallest `-X heapsize` with which a whole pairing over https
    still succeeds on the virtual esp32-ssd1306 board (code request, QR on
    the 128x64 framebuf, polls, tokens stored, one refresh). Binary search
    in 1 KB steps (in place: 256 B steps, then every size up to 1 KB
    above the answer, as the figure is not monotonic near its limit);
    every probe is a real run against the local server with
    the user approving (host_tools/serial/pairing_check.py). Three times
    (DEPLOYS): with the agent's .mpy files on the filesystem (bytecode
    copied into the heap); "romfs": devflow/** and app.mpy packed into a
    ROMFS image that the virtual board mounts at /rom at boot, so their
    bytecode runs in place as frozen code does (main.py and board.mpy stay
    in the flash), while the names they bring are interned in the heap, as
    on a board with a romfs partition; and "firmware": the same, with those
    names interned from the image before the agent runs and their cost
    taken out, as frozen firmware keeps them in flash (a model: see
    host_tools/serial/mpy_names.py). The unix port cannot map the image from
    outside its heap, so the boot shim reads it into a heap buffer first;
    the virtual board adds what that buffer costs in -X heapsize on top of
    the heap searched, an account checked by calibrating the rate per byte
    at 16 B resolution on the boot shim alone (image_cost).
(b) per poll: bytes allocated by one loop turn that polls the token
    endpoint on a kept-alive https connection (bench/keepalive_server.py),
    and how many connections (= TLS handshakes) the polls opened.
(c) flash: .mpy size of every agent file; the total for core, adapters,
    QR and one display driver (ssd1306), with app.py and main.py.
(d) where the heap goes: the import cost of each module, as .mpy loaded
    from the filesystem (copied into the heap) and run in place from a
    ROMFS image (what frozen or romfs bytecode costs, minus the names).
(e) the agent's own heap: the same pairing with a 512 KB heap and
    bench/agent_heap_probe.py as main.py, which reads gc.mem_alloc() at
    phase boundaries (boot shim, imports, board, app) and bounds each loop
    turn's high-water mark, split into transport, drawing and core. The
    -X heapsize figure of (a) also holds the virtual board's boot shim and
    REPL ("boot" here), and the fragmentation a real heap adds. Run again
    in place (the image's buffer, and as firmware the names, taken out of
    "boot").

The unix port is 64-bit: pointers and object headers are twice a 32-bit
board's, so figures run ~1.1-1.6x an ESP32's. mbedTLS on the unix port
(and on the ESP32) allocates outside the MicroPython heap; on the Pico W
it allocates from it. A table to stdout, JSON to bench/results/agent.json.
Timings and budgets are reported here, never asserted in tests.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "agent")]

from host_tools.serial.agent_board import (  # noqa: E402
    build_agent_romfs, image_held_bytes, image_heapsize, install_agent, names_held_bytes, names_heapsize, run_shim)
from host_tools.serial.build import SHIPPED_OPT, compile_all, plan  # noqa: E402
from host_tools.serial.pairing_check import pair  # noqa: E402
from host_tools.serial.tools import find_program  # noqa: E402

BUDGETS = {"heap_kb": 48, "poll_alloc_bytes": 4096, "mpy_total_kb": 40}
RESULTS = os.path.join(ROOT, "bench", "results", "agent.json")
IMPORT_ORDER = (
    "devflow.core.errors devflow.core.ticks devflow.core.logline devflow.core.body "
    "devflow.core.wire devflow.core.classify devflow.core.config devflow.core.tokens "
    "devflow.core.requests devflow.core.authorization devflow.core.idtoken "
    "devflow.core.session devflow.core.screens devflow.core.flow devflow.adapters.button "
    "devflow.adapters.storage devflow.adapters.token_file devflow.adapters.clock devflow.adapters.wifi "
    "devflow.adapters.http_msg devflow.adapters.http_req devflow.adapters.http app devflow.core.qr "
    "devflow.core.qrfit devflow.adapters.painter devflow.adapters.display devflow.drivers.ssd1306"
).split()


# ---- (a) heap ----

# How the agent is deployed for a heap figure: pairing_check.pair's options.
# In place (romfs, firmware), heap_bytes is the agent's: the virtual board
# adds what its copy of the image costs (image_heapsize, checked by
# image_cost) and as firmware what the names hold (names_heapsize).
DEPLOYS = {
    "filesystem": {},
    "romfs": {"frozen": True, "heap_excludes_image": True},
    "firmware": {"frozen": True, "heap_excludes_image": True, "names_in_flash": True},
}


def heap_probe(heap_bytes, deploy="filesystem"):
    with tempfile.TemporaryDirectory(prefix="devflow-heap-") as work:
        result = pair(work, board="esp32-ssd1306", tls=True, heapsize=str(heap_bytes), refresh=True, timeout=15,
                      **DEPLOYS[deploy])
    return result


def _logged_probe(size, deploy, probes, out, where=""):
    # One probe, recorded in probes and printed -> did it pair?
    r = heap_probe(size, deploy)
    probes.append({"bytes": size, "ok": r.ok, "failure": r.failure, "s": round(r.seconds, 1)})
    out(f"  heap {size:7d} B{where}: {'ok' if r.ok else r.failure}")
    return r.ok


def min_heap(lo=16 * 1024, hi=512 * 1024, step=1024, out=print, deploy="filesystem"):
    # Bytes; lo and hi multiples of step. Invariant: lo fails (or is
    # untested), hi succeeds.
    if not heap_probe(hi, deploy).ok:
        return None, []
    probes = []
    while hi - lo > step:
        mid = lo + (hi - lo) // step // 2 * step
        lo, hi = (lo, mid) if _logged_probe(mid, deploy, probes, out) else (mid, hi)
    return hi, probes


# ---- (a) as frozen: the image's own cost ----

FROZEN_METHOD = (
    "devflow/** .mpy and app.mpy packed by `mpremote romfs --no-mpy build` into a ROMFS image, which the "
    "virtual board's boot shim (host_tools/serial/vboot.py, DEVFLOW_VB_ROMFS) mounts at /rom before main.py "
    "runs, '/rom' on sys.path after '.frozen'; main.py, board.mpy and the config stay in the flash folder. "
    "The .mpy bytecode then runs in place, as frozen code does (their names still go to the heap's qstr "
    "pool, which frozen firmware would not). The unix port cannot map a file from outside its GC heap, so "
    "the shim reads the image into a heap buffer (memoryview(bytearray(n + pad))[:n]) held from boot on. "
    "The heapsize searched is the agent's: the virtual board adds that buffer's cost on top (its blocks "
    "plus the collector's tables for them, image_heapsize). That account is checked against the port "
    "itself: the smallest heap (16 B steps) with which the same shim mounts the image and runs an empty "
    "main.py, with the buffer padded by 0 and by PAD bytes, gives the -X heapsize per buffer byte "
    "(image.subtracted_bytes beside image.virtual_board_bytes). Near its limit the smallest heap is not "
    "monotonic (the collector runs at other moments in a larger heap, and objects land elsewhere), so "
    "after the binary search (256 B steps) every size up to STABLE_SPAN above its answer is run too; a "
    "failure moves the figure above it and the span is checked again. The VfsRom object and its mount "
    "entry stay counted (a board holds them in its heap too).")
FIRMWARE_METHOD = (
    "As romfs, and the image also holds a module whose name table lists every name frozen firmware would "
    "hold in flash for these modules: each .mpy's table, each module's path and dotted name, each "
    "package's (host_tools/serial/mpy_names.py). The flash's boot.py imports it and drops it before "
    "main.py runs, so those names are interned (text in the image, pool entries in the heap) before the "
    "agent, which then interns none of its own. What they hold is measured on the boot shim alone: the "
    "live heap as main.py starts, with that boot.py minus without (image.names.held_bytes); the virtual board "
    "adds it, with the collector's tables, on top of the heapsize searched, as it does the image's. Still "
    "counted, where real firmware would keep them in flash too: the constant objects (strings over ten "
    "characters, bytes, tuples) each module makes as it loads. Not counted, where real firmware would "
    "allocate them: the first small pools for names made at run time (board.py's, a few others), which "
    "here go into the room left in the last pool the names filled.")
CALIBRATION_PAD = 65536


def _method(deploy):
    return FROZEN_METHOD + (" " + FIRMWARE_METHOD if deploy == "firmware" else "")


def _shim_heap(flash, image, pad, lo=4 * 1024, hi=1024 * 1024):
    # Smallest -X heapsize (16 B steps) with which the virtual board's own
    # boot shim (no REPL: stdin closed) mounts the flash and, with `image`,
    # the ROMFS image padded by `pad`, then runs main.py (print('ok')).
    def ok(heap):
        r = run_shim(flash, image, pad, heap)
        return r.returncode == 0 and r.stdout.strip() == "ok"

    if not ok(hi):
        raise RuntimeError("the boot shim does not run even with %d B of heap" % hi)
    while hi - lo > 16:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


def image_cost(out=print, deploy="romfs"):
    """The agent's ROMFS image and what holding it in a heap buffer costs
    in -X heapsize, calibrated on the boot shim alone; as firmware, what
    its names hold too."""
    with tempfile.TemporaryDirectory(prefix="devflow-rom-") as work:
        flash = os.path.join(work, "flash")
        install_agent(flash, "esp32-ssd1306", os.path.join(ROOT, "bench", "agent_bench.py"))  # any file as config
        firmware = deploy == "firmware"
        image = build_agent_romfs(flash, os.path.join(work, "agent.romfs"), names_in_flash=firmware)
        names = {"held_bytes": names_held_bytes(image), "virtual_board_bytes": names_heapsize(image)} \
            if firmware else None
        if firmware:
            os.remove(os.path.join(flash, "boot.py"))  # the image's buffer alone
        with open(os.path.join(flash, "main.py"), "w") as f:
            f.write("print('ok')\n")
        size = os.path.getsize(image)
        no_image = _shim_heap(flash, None, 0)
        raw = _shim_heap(flash, image, 0)
        padded = _shim_heap(flash, image, CALIBRATION_PAD)
    per_byte = (padded - raw) / float(image_held_bytes(size, CALIBRATION_PAD) - image_held_bytes(size))
    held = image_held_bytes(size)
    cost = {"image_bytes": size, "held_bytes": held, "calibration_pad": CALIBRATION_PAD,
            "shim_heap_without_image": no_image, "shim_heap_with_image": raw,
            "shim_heap_with_padded_image": padded, "per_byte": round(per_byte, 4),
            "subtracted_bytes": int(round(per_byte * held)),
            # What the virtual board adds for the image when a heapsize is
            # the agent's alone (the search here, tests/mpy_e2e's budget
            # test): the same blocks at the collector's table rate, 1 + 3/256
            # per byte. subtracted_bytes, measured, should be within a few B.
            "virtual_board_bytes": image_heapsize(size),
            "mount_cost_direct": raw - no_image,
            "note": "mount_cost_direct (shim with minus without the image) is below held_bytes: without the "
                    "image the shim's smallest heap is set by compiling vboot.py itself, before the buffer "
                    "exists; the pairing's peak comes long after, with the buffer held, so the calibrated "
                    "per-byte rate times held_bytes is what the image costs"}
    out(f"  image {size} B held in {held} B of heap; {per_byte:.4f} B of heapsize per byte -> "
        f"{cost['subtracted_bytes']} B (shim alone: {no_image} B, {raw} B with the image; "
        f"the virtual board's own account: {cost['virtual_board_bytes']} B)")
    if names:
        cost["names"] = names
        out(f"  the names frozen firmware keeps in flash hold {names['held_bytes']} B of heap here: "
            f"{names['virtual_board_bytes']} B of heapsize on top")
    return cost


FROZEN_STEP = 256
STABLE_SPAN = 1024


def min_heap_frozen(out=print, deploy="romfs"):
    # The binary search's answer, then every size up to STABLE_SPAN above
    # it: near the limit the smallest heap is not monotonic (a larger heap
    # fills later, so the collector runs at other moments and objects land
    # elsewhere), and a figure a slightly larger heap fails at is no
    # budget. The first failure moves the figure above it, and the span is
    # checked again from there.
    cost = image_cost(out, deploy)
    result = {"method": _method(deploy), "image": cost, "step_bytes": FROZEN_STEP, "stable_span_bytes": STABLE_SPAN}
    found, probes = min_heap(step=FROZEN_STEP, out=out, deploy=deploy)
    result["search_bytes"] = found
    if found is None:
        result["probes"] = probes
        return result
    size = result["search_bytes"]
    while size < found + STABLE_SPAN:
        size += FROZEN_STEP
        if not _logged_probe(size, deploy, probes, out, " (above the search)"):
            found = size + FROZEN_STEP
    result.update(probes=probes, heap_bytes=found, heap_kb=round(found / 1024, 2))
    out(f"  {deploy}: {result['heap_kb']} KB (the search said {result['search_bytes']} B; every size up to "
        f"{STABLE_SPAN} B above passes)")
    return result


# ---- (e) the agent's own heap ----

def heap_breakdown(out=print, deploy="filesystem"):
    # In place (romfs, firmware; see (a)): the image's heap buffer, and as
    # firmware what the names hold, are taken out of every live figure.
    options = dict(DEPLOYS[deploy], heap_excludes_image=False)
    with tempfile.TemporaryDirectory(prefix="devflow-heapmap-") as work:
        r = pair(work, board="esp32-ssd1306", tls=True, heapsize="512k", refresh=True, timeout=20,
                 main=os.path.join(ROOT, "bench", "agent_heap_probe.py"), **options)
        image = os.path.join(work, "periph", "agent.romfs")
        held = image_held_bytes(os.path.getsize(image)) if deploy != "filesystem" else 0
        if deploy == "firmware":
            held += names_held_bytes(image)
    phases, turns, qstr_bytes, qstr_count, qstr_text = {}, {}, 0, 0, 0
    for line in r.output.decode(errors="replace").splitlines():
        if line.startswith("qstr pool:"):
            # n_total_bytes is the pools' heap blocks plus the names' text,
            # counted even where the text is not in the heap: a name from a
            # .mpy run in place (ROMFS) points into the image.
            qstr = dict(kv.split("=") for kv in line[len("qstr pool:"):].replace(",", " ").split())
            qstr_bytes = max(qstr_bytes, int(qstr["n_total_bytes"]))
            qstr_text = max(qstr_text, int(qstr["n_str_data_bytes"]))
            qstr_count = max(qstr_count, int(qstr["n_qstr"]))
            continue
        if not line.startswith(("bench: heap ", "bench: turn ")):
            continue
        fields = dict(kv.split("=", 1) for kv in line.split()[2:])
        if line.startswith("bench: heap "):
            phases[fields["phase"]] = int(fields["live"]) - held
            continue
        what = fields.pop("what")
        row = {k: int(v) for k, v in fields.items()}
        row["live"] -= held
        row["peak"] -= held
        old = turns.get(what)
        if old is None or row["peak"] > old["peak"]:
            turns[what] = row
    if not r.ok or not turns:
        out(f"  heap map failed: {r.failure}")
        return {"ok": False, "failure": r.failure}
    boot = phases.get("boot", 0)
    steps = [["boot shim + REPL + main", boot]]  # a list: JSON keeps the order
    prev = boot
    for name in ("imports", "board", "app"):
        if name in phases:
            steps.append([name, phases[name] - prev])
            prev = phases[name]
    peak_turn = max(turns, key=lambda k: turns[k]["peak"])
    peak = turns[peak_turn]["peak"]
    for what, row in sorted(turns.items()):
        row["core"] = row["peak"] - row["live"] - row["http"] - row["draw"]
    summary = {"ok": True, "phases": phases, "steps": steps, "turns": turns, "peak": peak,
               "peak_turn": peak_turn, "agent_peak": peak - boot, "qstr_bytes": qstr_bytes,
               "qstr_pool_bytes": qstr_bytes - qstr_text, "qstr_text_bytes": qstr_text, "qstr_count": qstr_count}
    if held:
        summary["excluded_bytes"] = held  # the image's buffer, and as firmware the names
    out(f"  heap map ({deploy}): peak {peak} B in the {peak_turn} turn; steps {steps}")
    return summary


# ---- (b) per poll ----

def poll_alloc(out=print):
    import trustme

    from keepalive_server import KeepAliveServer
    ca = trustme.CA()
    server = KeepAliveServer(ca).start()
    with tempfile.TemporaryDirectory(prefix="devflow-poll-") as work:
        config = os.path.join(work, "devflow.json")
        with open(config, "w") as f:
            json.dump({"device_authorization_endpoint": server.base_url + "/device",
                       "token_endpoint": server.base_url + "/token", "client_id": "bench",
                       "ca_certs": ca.cert_pem.bytes().decode()}, f)
        flash = os.path.join(work, "flash")
        install_agent(flash, "headless", config)
        with open(os.path.join(ROOT, "bench", "agent_poll_probe.py"), "rb") as src, \
                open(os.path.join(flash, "main.py"), "wb") as dst:
            dst.write(src.read())
        from host_tools.serial.virtual_board import VirtualBoard
        board = VirtualBoard(flash, peripherals=os.path.join(work, "periph")).start()
        try:
            board.wait_for(b"bench: done", 40)
            text = board.output.decode(errors="replace")
        finally:
            board.stop()
            server.stop()
    rows = []
    for line in text.splitlines():
        if line.startswith("bench: request"):
            rows.append({k: int(v) for k, v in (kv.split("=") for kv in line.split()[2:])})
    polls = rows[1:]  # the first request is the device authorization (and the handshake)
    allocs = sorted(r["alloc"] for r in polls)
    summary = {"requests": len(rows), "first_request_alloc": rows[0]["alloc"] if rows else None,
               "poll_alloc_median": allocs[len(allocs) // 2] if allocs else None,
               "poll_alloc_max": allocs[-1] if allocs else None,
               "poll_allocs": [r["alloc"] for r in polls],
               "connections_opened": rows[-1]["opened"] if rows else None,
               "server_connections": server.connections, "server_requests": server.requests}
    out(f"  polls: {summary}")
    return summary


# ---- (c) flash ----

def mpy_sizes():
    # As shipped: compiled by deploy's own compile_all (mpy-cross
    # -O{SHIPPED_OPT}, the board path as the source name), which the virtual
    # board and the frozen manifest match. -O0 (with line-number tables)
    # beside it.
    files = plan(os.path.join(ROOT, "agent"), os.path.join(ROOT, "boards"), "esp32_ssd1306", compile=True)
    sizes = {}
    for opt in (SHIPPED_OPT, 0):
        with tempfile.TemporaryDirectory() as tmp:
            staged = compile_all(files, tmp, opt)
            sizes[opt] = {os.path.relpath(f.src, ROOT): os.path.getsize(staged[f.remote]) for f in files}
    shipped_sizes = sizes[SHIPPED_OPT]
    other_drivers = [k for k in shipped_sizes if "/drivers/" in k and not k.endswith(("ssd1306.py", "__init__.py"))]
    shipped = [k for k in shipped_sizes if k not in other_drivers and not k.startswith("boards/")]
    return {"files": shipped_sizes, "opt": SHIPPED_OPT, "agent_files": sorted(shipped),
            "agent_total": sum(shipped_sizes[k] for k in shipped),
            "agent_total_O0": sum(sizes[0][k] for k in shipped)}


# ---- (d) import cost ----

_IMPORT_PROBE = """
import gc, sys, vfs
if ROM:
    with open(ROM, "rb") as f:
        img = f.read()
    vfs.mount(vfs.VfsRom(img), "/rom")
    sys.path.insert(0, "/rom")
else:
    sys.path.insert(0, FLASH)
gc.collect(); base = gc.mem_alloc(); prev = base
for m in MODS:
    __import__(m)
    gc.collect(); a = gc.mem_alloc()
    print("%s %d" % (m, a - prev)); prev = a
print("total %d" % (prev - base))
"""


def import_costs():
    costs = {}
    with tempfile.TemporaryDirectory(prefix="devflow-imp-") as work:
        flash = os.path.join(work, "flash")
        install_agent(flash, "esp32-ssd1306", os.path.join(ROOT, "bench", "agent_bench.py"))  # any file as config
        rom_src = os.path.join(work, "romsrc")
        os.makedirs(rom_src)
        subprocess.run(["cp", "-r", os.path.join(flash, "devflow"), os.path.join(flash, "app.mpy"), rom_src], check=True)
        rom = os.path.join(work, "rom.img")
        subprocess.run([find_program("mpremote"), "romfs", "--no-mpy", "-o", rom, "build", rom_src],
                       check=True, capture_output=True, timeout=60)
        for mode, rom_path in (("filesystem_mpy", ""), ("in_place_rom", rom)):
            code = f"ROM={rom_path!r}\nFLASH={flash!r}\nMODS={IMPORT_ORDER!r}\n" + _IMPORT_PROBE
            done = subprocess.run([find_program("micropython"), "-X", "heapsize=1M", "-c", code],
                                  capture_output=True, text=True, timeout=60, cwd=flash)
            costs[mode] = {k: int(v) for k, v in (l.split() for l in done.stdout.splitlines() if l.strip())}
        costs["rom_image_bytes"] = os.path.getsize(rom)
    return costs


def print_sizes():
    # --sizes: per-file .mpy bytes and per-module import cost, nothing written.
    sizes = mpy_sizes()
    costs = import_costs()
    for name, size in sorted(sizes["files"].items()):
        print("  %-42s %6d B" % (name, size))
    print("  shipped total %d B at -O%d (-O0: %d B)" % (sizes["agent_total"], sizes["opt"], sizes["agent_total_O0"]))
    for mode in ("filesystem_mpy", "in_place_rom"):
        print("  import cost, %s:" % mode)
        for name, cost in costs[mode].items():
            print("    %-36s %7d B" % (name, cost))


def runtime_label():
    # Which MicroPython ran (DEVFLOW_MICROPYTHON may name another build, a
    # 32-bit unix port say): version and word size, from the binary itself.
    exe = find_program("micropython")
    done = subprocess.run([exe, "-c", "import sys; print('%d.%d.%d' % sys.implementation.version[:3], "
                           "64 if sys.maxsize > 2**32 else 32)"], capture_output=True, text=True, timeout=30)
    version, bits = (done.stdout.split() + ["?", "?"])[:2]
    return f"micropython unix port {version} ({bits}-bit), {exe}"


def main(argv):
    if "--sizes" in argv:
        print_sizes()
        return 0
    deploy = "romfs" if "--frozen" in argv else "firmware" if "--firmware" in argv else "filesystem"
    if "--map" in argv:
        # The heap map of one pairing (filesystem .mpy; --frozen: run in
        # place from ROMFS; --firmware: the names in flash too), per turn;
        # nothing written: where a cut shows, in a few seconds.
        summary = heap_breakdown(deploy=deploy)
        for what, row in sorted(summary.get("turns", {}).items()):
            print("  %-22s live %6d  http %6d  draw %6d  core %6d  peak %6d" % (
                what, row["live"], row["http"], row["draw"], row["core"], row["peak"]))
        print("  qstrs %s (pool blocks %s B, text %s B)" % (
            summary.get("qstr_count"), summary.get("qstr_pool_bytes"), summary.get("qstr_text_bytes")))
        return 0
    if "--min-heap" in argv:
        # Only the search (filesystem .mpy; --frozen: ROMFS in place, the
        # image's cost subtracted; --firmware: the names' too), nothing
        # written: a quick check while cutting, or on another build
        # (DEVFLOW_MICROPYTHON).
        print(runtime_label())
        if deploy != "filesystem":
            print("smallest heap, %s: %s KB" % (deploy, min_heap_frozen(deploy=deploy).get("heap_kb")))
        else:
            found = min_heap()[0]
            print("smallest heap: %s KB" % (found and found // 1024))
        return 0
    quick = "--quick" in argv
    report = {"runtime": runtime_label(), "budgets": BUDGETS}
    print("(c) .mpy sizes")
    report["mpy"] = mpy_sizes()
    print("(d) import costs")
    report["imports"] = import_costs()
    print("(e) the agent's own heap, by phase")
    report["heap_map"] = heap_breakdown()
    print("(e) the same, in place from a ROMFS image (names in the heap)")
    report["heap_map_frozen"] = heap_breakdown(deploy="romfs")
    print("(e) the same, as frozen firmware (names in flash too)")
    report["heap_map_firmware"] = heap_breakdown(deploy="firmware")
    print("(b) per poll, keep-alive https")
    report["poll"] = poll_alloc()
    if not quick:
        print("(a) smallest heap for a full https pairing with one refresh")
        started = time.monotonic()
        found, report["heap_probes"] = min_heap()
        report["heap_min_kb"] = found and found // 1024
        report["heap_search_s"] = round(time.monotonic() - started, 1)
        for deploy, key, what in (("romfs", "heap_frozen", "the agent's .mpy run in place from a ROMFS image"),
                                  ("firmware", "heap_firmware", "as frozen firmware, the names in flash too")):
            print(f"(a) the same, {what}")
            started = time.monotonic()
            report[key] = min_heap_frozen(deploy=deploy)
            report[key + "_min_kb"] = report[key].get("heap_kb")
            report[key]["search_s"] = round(time.monotonic() - started, 1)
    else:
        # --quick: no pairing search, but the image and its calibrated cost.
        print("(a) in place: the ROMFS image's own heap cost, and the names' (no heap search with --quick)")
        report["heap_frozen"] = {"method": FROZEN_METHOD, "image": image_cost()}
        report["heap_firmware"] = {"method": _method("firmware"), "image": image_cost(deploy="firmware")}
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    with open(RESULTS, "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)
    print_table(report)
    return 0


WASM32 = os.path.join(ROOT, "bench", "results", "wasm32.json")


def ratio_64_to_32():
    # The 64-bit/32-bit heap ratio bench/wasm32/run.py measured (imports and
    # the pairing screen drawn, like for like), or None before it has run.
    try:
        with open(WASM32) as f:
            heaps = json.load(f)["min_heap"]
    except (OSError, ValueError, KeyError):
        return None
    unix, wasm = heaps["unix64_like_for_like"], heaps["wasm32"]
    return (unix["imports_draw"] - unix["empty"]) / float(wasm["imports_draw"] - wasm["empty"])


def print_table(r):
    imp = r["imports"]
    rows = [
        ("heap for a full https pairing (-X heapsize), .mpy on the filesystem", f"{r.get('heap_min_kb', '-')} KB",
         f"<= {BUDGETS['heap_kb']} KB"),
        ("  the same, in place from a ROMFS image (names in the heap) *", f"{r.get('heap_frozen_min_kb', '-')} KB",
         f"<= {BUDGETS['heap_kb']} KB"),
        ("  the same, as frozen firmware (names in flash too, modelled) **",
         f"{r.get('heap_firmware_min_kb', '-')} KB", f"<= {BUDGETS['heap_kb']} KB"),
        ("  import cost, .mpy from the filesystem", f"{imp['filesystem_mpy']['total'] / 1024:.1f} KB", ""),
        ("  import cost, bytecode run in place (ROM)", f"{imp['in_place_rom']['total'] / 1024:.1f} KB", ""),
        ("allocation per poll (kept-alive https)", f"{r['poll']['poll_alloc_median']} B (max {r['poll']['poll_alloc_max']})",
         f"<= {BUDGETS['poll_alloc_bytes']} B"),
        ("connections for all requests", f"{r['poll']['connections_opened']} for {r['poll']['requests']}", "1"),
        (f".mpy total, -O{r['mpy'].get('opt', 0)} as shipped (core, adapters, QR, ssd1306, app, main)",
         f"{r['mpy']['agent_total'] / 1024:.1f} KB",
         f"<= {BUDGETS['mpy_total_kb']} KB"),
    ]
    fz = r.get("heap_frozen") or {}
    img = fz.get("image")
    notes = []
    if img:
        notes.append("* devflow/** and app.mpy in a ROMFS image mounted at /rom by the boot shim, bytecode run "
                     "in place; the heap searched (256 B steps) is the agent's, the image's heap buffer ({} B "
                     "held) comes on top at the virtual board's {} B (measured on the boot shim alone: {} B)."
                     .format(img["held_bytes"], img["virtual_board_bytes"], img["subtracted_bytes"]))
        if fz.get("search_bytes"):
            notes.append("  The figure is the smallest heap from which every size up to {} B above it pairs "
                         "(the binary search said {} B). Method in the JSON."
                         .format(fz["stable_span_bytes"], fz["search_bytes"]))
    names = ((r.get("heap_firmware") or {}).get("image") or {}).get("names")
    if names:
        notes.append("** the same image, plus a module of every name frozen firmware keeps in flash, imported "
                     "and dropped by boot.py before main.py; what the names hold ({} B) comes on top too ({} B "
                     "of heapsize). Method in the JSON.".format(names["held_bytes"], names["virtual_board_bytes"]))
    at = 1 + next(i for i, row in enumerate(rows) if row[0].startswith("  import cost, bytecode"))
    for key, label in (("heap_map", ""), ("heap_map_frozen", ", romfs"), ("heap_map_firmware", ", firmware")):
        hm = r.get(key) or {}
        if not hm.get("ok"):
            continue
        extra = [(f"  agent's own peak{label} (probe, minus boot shim)", f"{hm['agent_peak'] / 1024:.1f} KB",
                  f"in the {hm['peak_turn']} turn")]
        for name, n in hm["steps"]:
            extra.append((f"    live after {name}", f"+{n / 1024:.1f} KB", ""))
        if hm.get("qstr_bytes") and key != "heap_map_firmware":  # there, the names are taken out
            # The pools of names grow by doubling: past 620 names the next
            # one is a 640-entry block, 7 KB on this port (4.5 KB on 32-bit).
            # Frozen firmware keeps both its names' pool and their text in
            # flash; a ROMFS image keeps the text of the names it brings.
            text = "in the heap" if key == "heap_map" else "in the image"
            extra.append(("    of all that, interned names: the pool's blocks (in flash when frozen)",
                          f"{hm.get('qstr_pool_bytes', 0) / 1024:.1f} KB", f"{hm.get('qstr_count', 0)} names"))
            extra.append((f"      and the names' text (the agent's {text})",
                          f"{hm.get('qstr_text_bytes', 0) / 1024:.1f} KB", ""))
        for what, t in sorted(hm["turns"].items(), key=lambda kv: -kv[1]["peak"]):
            kb = [t[k] / 1024 for k in ("live", "http", "draw", "core")]
            extra.append((f"    {what} turn: live + transport/draw/core",
                          "%.0f+%.1f/%.1f/%.1f" % tuple(kb), f"= {t['peak'] / 1024:.1f} KB"))
        rows[at:at] = extra
        at += len(extra)
    ratio = ratio_64_to_32()
    if ratio and r.get("heap_min_kb"):
        rows.insert(1, (f"  32-bit estimate: the above / {ratio:.2f} (bench/wasm32, imports + draw)",
                        f"{r['heap_min_kb'] / ratio:.0f} KB", f"<= {BUDGETS['heap_kb']} KB"))
    o0 = r["mpy"].get("agent_total_O0")
    if o0:
        rows.append(("  same, mpy-cross -O0 (with line-number tables: deploy --source for those)",
                     f"{o0 / 1024:.1f} KB", "not counted"))
    width = max(len(a) for a, _, _ in rows)
    print()
    print(f"{'budget':<{width}}  {'measured':>22}  target")
    for a, b, c in rows:
        print(f"{a:<{width}}  {b:>22}  {c}")
    for n in notes:
        print(n)
    print(f"\nJSON: {os.path.relpath(RESULTS, ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main(sys.argv[1:]))
