# Make the agent package and the test helpers importable for tests/qr alone;
# the repository-wide tests/conftest.py may do the same later.
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_AGENT = os.path.join(_HERE, "..", "..", "agent")
for _p in (os.path.normpath(_AGENT), _HERE):
    if _p not in sys.path:
        sys.path.insert(0, _p)
