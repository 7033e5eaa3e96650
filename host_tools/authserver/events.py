"""EventLog: what the server saw, for tests to wait on and assert about.

Every request to the OAuth endpoints appends one dict. Events hold hashes of
device codes (`device_code_id`), never the codes or tokens themselves.
"""

import threading
import time


class EventLog:
    def __init__(self):
        self._events = []
        self._changed = threading.Condition()

    def append(self, **event):
        event.setdefault("t", time.monotonic())
        with self._changed:
            self._events.append(event)
            self._changed.notify_all()
        return event

    def snapshot(self):
        with self._changed:
            return list(self._events)

    def __len__(self):
        with self._changed:
            return len(self._events)

    def __iter__(self):
        return iter(self.snapshot())

    def __getitem__(self, index):
        with self._changed:
            return self._events[index]

    def clear(self):
        with self._changed:
            self._events.clear()

    def where(self, **fields):
        """Events whose fields equal the given values, oldest first."""
        return [e for e in self.snapshot() if all(e.get(k) == v for k, v in fields.items())]

    def wait_for(self, predicate, timeout=10.0, since=0):
        """The first event at index >= `since` for which predicate(event) is
        true, waiting for it to arrive; TimeoutError after `timeout` s."""
        deadline = time.monotonic() + timeout
        index = since
        with self._changed:
            while True:
                while index < len(self._events):
                    if predicate(self._events[index]):
                        return self._events[index]
                    index += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no matching event within {timeout} s")
                self._changed.wait(left)
