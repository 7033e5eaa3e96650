"""Where the pinned host programs live: next to this Python, else on PATH."""

import os
import shutil
import sys

from .errors import ToolError


def find_program(name):
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
