# When to send the next request: poll interval, slow_down, backoff, deadline.
#
# All times are ticks in milliseconds (see ticks.py). The schedule is pure
# arithmetic over the `now` it is given; `rand` is a function returning a
# float in [0, 1) so tests can fix the jitter.

from devflow.core.ticks import ticks_add, ticks_diff

SLOW_DOWN_STEP_S = 5        # RFC 8628 3.5
BACKOFF_CAP_MS = 60000      # FAULTS: backoff capped at 60 s
RETRY_AFTER_CAP_S = 300     # FAULTS 31
# A 20 % margin on every wait: a board's clock may run fast by that much
# (FAULTS 54) and the server must still never see a poll too early.
MARGIN_DIVISOR = 5


def with_margin(ms):
    return ms + ms // MARGIN_DIVISOR


def backoff_ms(floor_ms, failures, rand):
    # Double from the floor on each consecutive failure, capped, then up to
    # +25 % jitter so a fleet that lost the server together does not come
    # back in step. Never below the floor (the current interval).
    wait = floor_ms
    for _ in range(min(failures, 8)):
        wait *= 2
        if wait >= BACKOFF_CAP_MS:
            wait = BACKOFF_CAP_MS
            break
    wait += int(wait * rand() / 4)
    if wait > BACKOFF_CAP_MS:
        wait = BACKOFF_CAP_MS
    return wait if wait > floor_ms else floor_ms


def retry_after_s(value):
    # RFC 9110 10.2.3: delay-seconds or an HTTP-date. Only the seconds form
    # is used (a board may not know the date); None means "not given".
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text.isdigit() or len(text) > 9:
        return None
    seconds = int(text)
    return RETRY_AFTER_CAP_S if seconds > RETRY_AFTER_CAP_S else seconds


class PollSchedule:
    # One per device code. `interval_s` only ever grows (RFC 8628 3.5:
    # slow_down increases it "for this and all subsequent requests").
    def __init__(self, interval_s, now, lifetime_s, rand):
        self.interval_s = interval_s
        self.deadline = ticks_add(now, lifetime_s * 1000)
        self.failures = 0
        self.rand = rand
        self.next_at = ticks_add(now, self.wait_ms())

    def wait_ms(self):
        return with_margin(self.interval_s * 1000)

    def _set_next(self, now, wait_ms):
        self.next_at = ticks_add(now, wait_ms)
        return wait_ms

    def pending(self, now):
        # authorization_pending: "the client SHOULD repeat the access token
        # request ... as described by the interval" (RFC 8628 3.5).
        self.failures = 0
        return self._set_next(now, self.wait_ms())

    def slow_down(self, now, server_interval_s=None):
        # "the interval MUST be increased by 5 seconds for this and all
        # subsequent requests" (RFC 8628 3.5); a larger interval sent with it
        # (GitHub) wins (FAULTS 24).
        self.failures = 0
        bumped = self.interval_s + SLOW_DOWN_STEP_S
        if server_interval_s is not None and server_interval_s > bumped:
            bumped = server_interval_s
        self.interval_s = bumped
        return self._set_next(now, self.wait_ms())

    def failure(self, now, retry_after=None):
        # Transport failures: "the client MUST reduce its polling frequency
        # ... exponential backoff is RECOMMENDED" (RFC 8628 3.5).
        self.failures += 1
        floor = self.wait_ms()
        if retry_after is not None:
            ra = retry_after * 1000
            return self._set_next(now, ra if ra > floor else floor)
        return self._set_next(now, backoff_ms(floor, self.failures, self.rand))

    def expired(self, now):
        # The local deadline ends polling whatever the server says.
        return ticks_diff(now, self.deadline) >= 0

    def wake_at(self):
        # Never past the deadline: wake for it instead.
        return self.deadline if ticks_diff(self.next_at, self.deadline) > 0 else self.next_at
