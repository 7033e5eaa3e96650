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


_MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec"


def http_date_s(text):
    # IMF-fixdate (RFC 9110 5.6.7), "Sun, 06 Nov 1994 08:49:37 GMT", to Unix
    # seconds; None for anything else (the obsolete forms are not worth the
    # code on a board). Days from the civil date without the time module.
    parts = text.split(" ")
    if len(parts) != 6 or parts[5] != "GMT" or len(parts[4]) != 8:
        return None
    month = _MONTHS.find(parts[2])
    clock = parts[4].split(":")
    try:
        day, year = int(parts[1]), int(parts[3])
        h, m, sec = int(clock[0]), int(clock[1]), int(clock[2])
    except (ValueError, IndexError):
        return None
    if month < 0 or month % 3 or not 1 <= day <= 31 or year < 1970:
        return None
    month = month // 3 + 1
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (9 if month <= 2 else -3)) + 2) // 5 + day - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    return days * 86400 + h * 3600 + m * 60 + sec


def retry_after_s(value, wall_s=None):
    # RFC 9110 10.2.3: delay-seconds, or an HTTP-date when the board's wall
    # clock is set (wall_s); capped. None means "not given" (or a date we
    # cannot judge without a clock: then plain backoff applies).
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit() and len(text) <= 9:
        seconds = int(text)
    elif wall_s is not None:
        when = http_date_s(text)
        if when is None:
            return None
        seconds = when - wall_s if when > wall_s else 0
    else:
        return None
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
