# How long to wait before trying again: backoff, and a server's Retry-After.
#
# Pure arithmetic in milliseconds and seconds; `rand` is a function
# returning a float in [0, 1) so tests can fix the jitter. Which wait
# applies when (interval, slow_down, deadline) is the flow's business
# (flow.py), next to the RFC sentences that decide it.

try:
    from micropython import const
except ImportError:
    const = int

_BACKOFF_CAP_MS = const(60000)    # FAULTS: backoff capped at 60 s
_RETRY_AFTER_CAP_S = const(300)   # FAULTS 31


def backoff_ms(floor_ms, failures, rand):
    # Double from the floor on each consecutive failure, capped, then up to
    # +25 % jitter so a fleet that lost the server together does not come
    # back in step. Never below the floor (the current interval).
    wait = floor_ms
    for _ in range(min(failures, 8)):
        wait *= 2
        if wait >= _BACKOFF_CAP_MS:
            wait = _BACKOFF_CAP_MS
            break
    wait += int(wait * rand() / 4)
    if wait > _BACKOFF_CAP_MS:
        wait = _BACKOFF_CAP_MS
    return wait if wait > floor_ms else floor_ms


def retry_after_s(value, wall_s=None):
    # RFC 9110 10.2.3: delay-seconds, or an HTTP-date when the board's wall
    # clock is set (wall_s); capped. None means "not given" (or a date we
    # cannot judge without a clock: then plain backoff applies).
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit() and len(text) <= 9:
        seconds = int(text)
    elif wall_s is None:
        return None
    else:
        # Only IMF-fixdate (RFC 9110 5.6.7), "Sun, 06 Nov 1994 08:49:37 GMT"
        # (the obsolete forms are not worth the code on a board). Days from
        # the civil date without the time module.
        parts = text.split(" ")
        if len(parts) != 6 or parts[5] != "GMT" or len(parts[4]) != 8:
            return None
        month = "JanFebMarAprMayJunJulAugSepOctNovDec".find(parts[2])
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
        seconds = days * 86400 + h * 3600 + m * 60 + sec - wall_s
        if seconds < 0:
            seconds = 0
    return _RETRY_AFTER_CAP_S if seconds > _RETRY_AFTER_CAP_S else seconds
