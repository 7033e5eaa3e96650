"""flow.py's transition table is enforced: a move it does not list is
refused (our bug shows at once), and every listed move is one the flow
makes somewhere (no dead lines)."""

import re
import sys
from pathlib import Path

import pytest

AGENT = Path(__file__).resolve().parents[2] / "agent"
sys.path.insert(0, str(AGENT))
from devflow.core import flow, screens  # noqa: E402
from devflow.core.config import parse_config  # noqa: E402

# The flow takes its edges in flow.py and, for the pairing steps and the
# paired ones, in authorization.py and session.py (flow._go).
FLOW_SOURCE = "".join((AGENT / "devflow" / "core" / name).read_text()
                      for name in ("flow.py", "authorization.py", "session.py"))


def _flow():
    return flow.DeviceFlow(parse_config({"client_id": "tv", "issuer": "https://as.example"}), lambda: 0.5)


def test_a_move_the_table_does_not_list_is_refused():
    f = _flow()
    with pytest.raises(RuntimeError, match="start --approved--> paired"):
        f._go("approved", "paired", screens.make("starting"))
    assert f.state == "start"


def test_a_listed_move_is_taken():
    f = _flow()
    f._go("discover", "discovering", screens.make("starting", "Connecting"), 0)
    assert f.state == "discovering" and f.wake_at() == 0


def test_a_move_from_any_listed_state_is_taken_and_from_no_other():
    # "start,discovering,requesting,polling,paired bad_config config_error":
    # a state in the middle of the list, and a name that is only a prefix
    # or a suffix of a listed one, do not fool the lookup.
    f = _flow()
    f._go("discover", "discovering", screens.make("starting", "Connecting"), 0)
    f._go("bad_config", "config_error", screens.make("config_error", "x"))
    assert f.state == "config_error"
    for state in ("discover", "polling,paired", "paire", "unpairing", "failed"):
        f.state = state
        with pytest.raises(RuntimeError):
            f._go("bad_config", "config_error", screens.make("config_error", "x"))


def test_each_outcome_and_next_state_is_on_one_line():
    # _go() finds the line by its " outcome next-state" ending.
    ends = [tuple(line.split()[1:]) for line in flow._TRANSITIONS.strip().splitlines()]
    assert len(ends) == len(set(ends))


def test_every_outcome_in_the_table_is_named_by_the_code():
    table = {tuple(line.split()) for line in flow._TRANSITIONS.strip().splitlines()}
    called = set(re.findall(r'_go\("(\w+)", "(\w+)"', FLOW_SOURCE))
    called |= {("denied", "denied"), ("expired", "expired")}   # _stop(outcome)
    assert {(outcome, to) for _, outcome, to in table} == called
