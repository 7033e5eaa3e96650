"""`emulate`: run the agent as an emulated board against a config file."""

import sys

from host_tools.emulator.boards import board_names


def add_arguments(parser):
    parser.add_argument("--board", default="esp32-ssd1306", choices=board_names())
    parser.add_argument("--config", default="devflow.json", help="device config (JSON)")
    parser.add_argument("--flash", default=".flash", help="folder standing in for flash")
    parser.add_argument("--screenshot", help="PNG of the panel, rewritten on every change")
    parser.add_argument("--until", choices=["paired", "code", "denied", "expired", "error"],
                        help="exit 0 when the device reaches this state")
    parser.add_argument("--timeout", type=float, help="give up after this many seconds (exit 3)")
    parser.add_argument("--no-terminal", action="store_true", help="do not draw the panel in the terminal")
    # issue 5: the board in a browser, faults on cue, virtual time.
    parser.add_argument("--web", action="store_true",
                        help="serve the panel, buttons and serial log on a local web page")
    parser.add_argument("--web-port", type=int, default=8765, help="port for --web (0: any free one)")
    parser.add_argument("--fault", action="append", default=[], metavar="SPEC",
                        help="e.g. wifi-drop@10s+5s, dns-fail@3s, latency=300ms, power-cut@write2, "
                             "clock-jump@20s=3600s, ticks-wrap=5s (see host_tools/emulator/faults.py)")
    parser.add_argument("--virtual-time", action="store_true",
                        help="run on a virtual clock (waits pass at once; pair with a server that shares it)")


def run(args):
    from host_tools.emulator.faults import Faults
    from host_tools.emulator.runner import Emulator
    from host_tools.emulator.vclock import VirtualClock
    faults = Faults.parse(args.fault) if args.fault else None
    clock = VirtualClock() if args.virtual_time else None
    emulator = Emulator(args.board, args.config, args.flash, screenshot=args.screenshot,
                        show_terminal=not args.no_terminal and sys.stdout.isatty() and not args.web,
                        clock=clock, faults=faults)
    view = None
    if args.web:
        from host_tools.emulator.web import WebView
        view = WebView(emulator, port=args.web_port).start()
        print("emulate: %s on %s (Ctrl-C to stop)" % (args.board, view.url), flush=True)
    try:
        with _keys_unbuffered(emulator.show_terminal):
            return emulator.run(until=args.until, timeout=args.timeout)
    finally:
        if view is not None:
            view.stop()


class _keys_unbuffered:
    # Single key presses reach the emulator without Enter, and the terminal
    # is restored however the run ends.
    def __init__(self, active):
        self.active = active and sys.stdin.isatty()

    def __enter__(self):
        if self.active:
            import termios
            import tty
            self.saved = termios.tcgetattr(sys.stdin)
            tty.setcbreak(sys.stdin)

    def __exit__(self, *exc):
        if self.active:
            import termios
            termios.tcsetattr(sys.stdin, termios.TCSADRAIN, self.saved)
