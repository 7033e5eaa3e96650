# MicroPython, run on the virtual board as its main.py by agent_bench.py
# (instead of agent/main.py; it mirrors app.main): where the agent's heap goes.
#
# The -X heapsize search says how small a heap still pairs; this says what
# is in it. gc.mem_alloc() after gc.collect() is what stays live; a turn of
# the loop runs with the collector off, so live-before + allocated-in-turn
# is an upper bound of that turn's high-water mark (what a heap must hold
# with no collection in the middle). http.perform and display.draw are
# timed the same way inside the turn, so a turn splits into transport
# (TLS I/O, head, body), drawing (QR encode + paint) and the core (JSON,
# tokens, screens, logs). Prints lines the bench parses:
#   bench: heap phase=NAME live=BYTES
#   bench: turn what=PURPOSE live=BYTES peak=BYTES http=BYTES draw=BYTES
# and, after each turn, micropython.qstr_info()'s "qstr pool: ..." line: the
# names the loaded .mpy files interned (in the heap here; in flash when the
# agent is frozen into firmware).
import gc
import micropython
import sys

gc.collect()
_BASE = gc.mem_alloc()  # the boot shim, the REPL and this file's bytecode


def _phase(name):
    gc.collect()
    print("bench: heap phase=%s live=%d" % (name, gc.mem_alloc()))


_phase("boot")
import board  # noqa: E402
from app import forget, http_client, make_app  # noqa: E402
from devflow.adapters import clock  # noqa: E402 (the clock is the module)

_phase("imports")

_spent = {"http": 0, "draw": 0, "what": "idle"}


def _measured(name, fn):
    # fn, with the bytes it allocates added to _spent[name].
    def call(*args):
        if name == "http":
            _spent["what"] = args[0].purpose
        before = gc.mem_alloc()
        try:
            return fn(*args)
        finally:
            _spent[name] += gc.mem_alloc() - before
    return call


def main():
    hw = board.make_board()
    _phase("board")
    # As app.main: the hole the TLS context takes when make_app lets it go.
    sys.modules["app"]._hole = bytearray(4096)
    from app import read_config
    from devflow.adapters.wifi import connect_from_config
    connect_from_config(hw, read_config("devflow.json"), clock)
    del connect_from_config, read_config
    forget("devflow.adapters.wifi", "devflow.core.sntp")
    app, problem = make_app(hw, http_client, clock)
    if app is None:
        print("bench: error", problem)
        return
    _phase("app")
    app.http.perform = _measured("http", app.http.perform)
    if app.display is not None:
        app.display.draw = _measured("draw", app.display.draw)
    first = True
    while True:
        gc.collect()
        live = gc.mem_alloc()
        _spent["http"] = _spent["draw"] = 0
        _spent["what"] = "idle"
        gc.disable()
        before = gc.mem_alloc()
        if first:
            app.start()
            first = False
        wait = app.step()
        used = gc.mem_alloc() - before
        gc.enable()
        print("bench: turn what=%s live=%d peak=%d http=%d draw=%d"
              % (_spent["what"], live, live + used, _spent["http"], _spent["draw"]))
        micropython.qstr_info()
        clock.wait(1000 if wait is None else wait, app.button.pressed)


main()
