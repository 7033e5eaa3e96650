"""python -m host_tools <command>: devflow's host tools."""

import argparse
import sys

PROG = "devflow"


def _table():
    from host_tools import authserver
    from host_tools.cli import demo, emulate
    table = {
        "authserver": (authserver.add_arguments, authserver.run,
                       "local RFC 8628 authorization server"),
        "emulate": (emulate.add_arguments, emulate.run, "run the agent as an emulated board"),
        "run": (demo.add_arguments, demo.run_interactive,
                "authorization server + emulated board, for a person at a browser"),
        "demo": (demo.add_arguments, demo.run_demo,
                 "the same, with a script playing the person; reports the pairing time"),
    }
    try:
        from host_tools.serial.commands import COMMANDS
    except ImportError:
        COMMANDS = {}
    table.update(COMMANDS)
    return table


def main(argv=None):
    table = _table()
    parser = argparse.ArgumentParser(prog=PROG, description="devflow host tools")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    for name, (add_arguments, _, help_text) in table.items():
        add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    try:
        return table[args.command][1](args) or 0
    except KeyboardInterrupt:
        return 130
    except (ValueError, OSError) as error:
        print("%s: %s" % (PROG, error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
