# MicroPython, run on the virtual board as its main.py by agent_bench.py:
# the agent exactly as app.main builds it, driven by the same loop as
# App.run, with each loop turn that sent a request measured: gc.collect(),
# gc.disable(), gc.mem_alloc() before and after = bytes allocated by that
# turn (request, TLS I/O, parsing, the core). Prints one line per request:
#   bench: request n=N alloc=BYTES opened=CONNECTIONS
import gc

import board
from app import http_client, make_app
from devflow.adapters import clock  # the clock is the module

REQUESTS = 10


def main():
    app, problem = make_app(board.make_board(), http_client, clock)
    if app is None:
        print("bench: error", problem)
        return
    app.start()
    n = 0
    while n < REQUESTS:
        sent = app.http.requests_sent
        gc.collect()
        gc.disable()
        before = gc.mem_alloc()
        wait = app.step()
        used = gc.mem_alloc() - before
        gc.enable()
        if app.http.requests_sent != sent:
            n += 1
            print("bench: request n=%d alloc=%d opened=%d" % (n, used, app.http.connections_opened))
        clock.wait(1000 if wait is None else wait, app.button.pressed)
    print("bench: done")


main()
