# Lenient number reading for server fields (FAULTS 6, 7, 12).
#
# Real servers send 900, "900", 900.7 or nonsense. These helpers return an
# int or None; they never raise, so the caller decides what "absent" means.


def whole_seconds(value, round_up=False):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text or len(text) > 12:
            return None
        try:
            value = float(text) if "." in text else int(text)
        except ValueError:
            return None
    if isinstance(value, float):
        if value != value or value > 1e12 or value < -1e12:  # NaN, inf
            return None
        whole = int(value)
        if round_up and whole < value:
            whole += 1
        return whole
    if isinstance(value, int):
        # Clamp huge values here so no bigint travels further (30-bit small
        # ints on boards).
        if value > 1000000000:
            return 1000000000
        if value < -1000000000:
            return -1000000000
        return value
    return None
