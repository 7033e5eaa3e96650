# Runs every scenario under MicroPython; prints one line a scenario:
#   PASS <file>   or   FAIL <file>: <why>
# Run from the repository root with MICROPYPATH=agent:tests/scenarios.
import json
import os
import sys

from runner import run_scenario

folder = sys.argv[1] if len(sys.argv) > 1 else "tests/scenarios/data"
for name in sorted(os.listdir(folder)):
    if not name.endswith(".json"):
        continue
    with open(folder + "/" + name) as f:
        scenario = json.load(f)
    try:
        problem = run_scenario(scenario)
    except Exception as e:  # an escape from the core is a failure too
        problem = "exception %s: %s" % (type(e).__name__, e)
    print(("PASS " + name) if problem is None else ("FAIL %s: %s" % (name, problem)))
