"""The pinned `mpremote` command as our REPL transport.

mpremote copies files and runs code on a board well; its Python API is not
stable, its command line is. Each call is one `mpremote connect PORT ...`
run with a deadline; what it prints on failure is translated here, once,
into a ToolError a person can act on.
"""

import json
import re
import signal
import subprocess

from .errors import ToolError
from .ports import check_port, is_url
from .tools import find_program

_MARK = "@@devflow@@ "
_ERRNO_HINTS = {
    "ENOSPC": "the board's flash is full",
    "ENOENT": "no such file on the board",
    "EACCES": "permission denied on the board",
    "EROFS": "the board's filesystem is read-only",
}


class Mpremote:
    """mpremote pointed at one port. `timeout` bounds every call (seconds)."""

    def __init__(self, port, timeout=20.0):
        check_port(port)
        self.port = port
        self.timeout = timeout
        self._program = find_program("mpremote")

    def run(self, *args, timeout=None, on_line=None):
        """Run `mpremote connect PORT <args>`; returns stdout. `on_line` sees
        each stdout line as it comes (for progress)."""
        cmd = [self._program, "connect", self.port, *args]
        limit = self.timeout if timeout is None else timeout
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            errors="replace",
        )
        try:
            out, err = _communicate(proc, limit, on_line)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise ToolError(f"the board on {self.port} did not answer within {limit:g} s") from None
        except KeyboardInterrupt:
            _stop(proc)
            raise ToolError("interrupted", status=130) from None
        if proc.returncode != 0:
            raise ToolError(self._translate(out, err))
        return out

    def exec(self, code, timeout=None):
        return self.run("exec", code, timeout=timeout)

    def exec_json(self, code, timeout=None):
        """Run code that ends with `print(MARK + json.dumps(result))`."""
        out = self.exec(code, timeout=timeout)
        for line in reversed(out.splitlines()):
            if line.startswith(_MARK):
                return json.loads(line[len(_MARK) :])
        raise ToolError(f"the board on {self.port} gave no answer (it printed: {_last_line(out)!r})")

    def _translate(self, out, err):
        text = (out + "\n" + err).strip()
        if "failed to access" in text:
            if is_url(self.port):
                return f"cannot open {self.port}: nothing answers at that address"
            return f"cannot open {self.port} (no such port, or in use by another program)"
        if "could not enter raw repl" in text:
            return f"the board on {self.port} does not answer (is MicroPython running on it? try `reset`)"
        if "Traceback (most recent call last)" in text:
            return f"the board raised {_explain(_traceback_last_line(text))}"
        return f"mpremote failed on {self.port}: {_explain(_last_line(err) or _last_line(out))}"


def result_line(expr):
    """MicroPython source that prints `expr` as the answer exec_json reads."""
    return "print(%r + json.dumps(%s))" % (_MARK, expr)


def _communicate(proc, limit, on_line):
    if on_line is None:
        return proc.communicate(timeout=limit)
    import threading

    errors = []
    reader = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
    reader.start()
    lines = []
    timer = threading.Timer(limit, proc.kill)
    timer.start()
    try:
        for line in proc.stdout:
            lines.append(line)
            on_line(line.rstrip("\n"))
        proc.wait()
    finally:
        timer.cancel()
    reader.join(5)
    if proc.returncode == -signal.SIGKILL:
        raise subprocess.TimeoutExpired(proc.args, limit)
    return "".join(lines), "".join(errors)


def _stop(proc):
    proc.kill()
    proc.communicate()


def _last_line(text):
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    return lines[-1] if lines else ""


def _traceback_last_line(text):
    tail = text[text.rfind("Traceback (most recent call last)") :]
    for line in tail.splitlines()[1:]:
        if not line.startswith(" "):
            return line.strip()
    return _last_line(tail)


def _explain(message):
    message = re.sub(r"^mpremote: ", "", message)
    for name, hint in _ERRNO_HINTS.items():
        if name in message or (name == "ENOSPC" and "No space left" in message):
            return f"{message} ({hint})"
    if message.startswith("MemoryError"):
        return f"{message} (the board ran out of RAM)"
    return message
