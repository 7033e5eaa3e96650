"""A one-line progress bar on stderr; plain lines when stderr is not a tty."""

import sys


class Progress:
    def __init__(self, total, label, stream=None, width=24):
        self.total, self.label, self.width = max(total, 1), label, width
        self.done = 0
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self, what):
        self.done = min(self.done + 1, self.total)
        if self.tty:
            filled = self.width * self.done // self.total
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {what[-40:]:<40}")
        else:
            self.stream.write(f"{self.label} {self.done}/{self.total} {what}\n")
        self.stream.flush()

    def close(self):
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
