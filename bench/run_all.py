"""make bench: every benchmark, one after the other. Tables to stdout, JSON
to bench/results/. Timings and memory are measured here, never asserted in
tests. Pass --quick to skip the slow heap searches of the agent bench."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# wasm32 first: agent_bench reads its 64/32-bit ratio for the 32-bit estimate.
BENCHES = [["qr_bench.py"], ["wasm32/run.py"], ["agent_bench.py"]]


def main(argv):
    status = 0
    for bench in BENCHES:
        args = bench + (["--quick"] if "--quick" in argv and bench[0] == "agent_bench.py" else [])
        print("== %s" % " ".join(args), flush=True)
        status |= subprocess.run([sys.executable, str(HERE / args[0])] + args[1:], cwd=HERE.parent).returncode
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
