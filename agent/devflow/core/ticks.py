# Wrap-safe arithmetic on a millisecond tick counter.
#
# Boards count time with time.ticks_ms(), which wraps (at 2**30 on 32-bit
# ports). The core never reads a clock: every handler gets `now` in ticks
# from the clock adapter, which hands out values in [0, PERIOD). Using the
# same period on every runtime means a test can start the fake clock just
# below the wrap and must see the same request schedule as without it.
#
# Differences are valid while the two instants are less than PERIOD/2 apart
# (about 6.2 days); the core clamps every deadline well inside that.

PERIOD = 1 << 30
# Below, 0x3FFFFFFF is PERIOD - 1 and 0x20000000 is PERIOD / 2, written out:
# 2**30 itself is a big int on 32-bit boards, so it is never computed with.


def ticks_add(ticks, delta_ms):
    return (ticks + delta_ms) & 0x3FFFFFFF


def ticks_diff(later, earlier):
    # Signed difference later - earlier, like time.ticks_diff.
    d = (later - earlier) & 0x3FFFFFFF
    return d - 0x20000000 - 0x20000000 if d >= 0x20000000 else d
