"""Scripted failures: make the next N requests to an endpoint fail.

A test knob for the client's retry logic (5xx, Retry-After, odd statuses).
An injected failure never reaches the grant, so it does not count as a poll.
"""

import threading


class Fault:
    def __init__(self, endpoint, count, status, error, description, retry_after):
        self.endpoint = endpoint
        self.count = count
        self.status = status
        self.error = error
        self.description = description
        self.retry_after = retry_after

    def body(self):
        return {
            "error": self.error,
            "error_description": self.description,
            "status_code": self.status,
        }

    def headers(self):
        if self.retry_after is None:
            return []
        return [("Retry-After", str(self.retry_after))]


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []

    def inject(self, count=1, status=503, error="temporarily_unavailable",
               description="Injected failure.", retry_after=None, endpoint="token"):
        with self._lock:
            self._queue.append(Fault(endpoint, count, status, error, description, retry_after))

    def take(self, endpoint):
        """The fault to answer this request with, or None."""
        with self._lock:
            for fault in self._queue:
                if fault.endpoint == endpoint and fault.count > 0:
                    fault.count -= 1
                    if fault.count == 0:
                        self._queue.remove(fault)
                    return fault
            return None
