# The device authorization response (RFC 8628 3.2), checked field by field.
#
# What is shown on the screen comes from here, so the checks are strict
# where a hostile server could spoof the display (FAULTS 13, 14) and lenient
# where real servers differ harmlessly (FAULTS 5, 7, 12).

from devflow.core import config, errors

BAD_FIELD = "'%s' is missing or not valid"


def printable(text, limit):
    # Printable ASCII only: no control characters, no escapes, no bidi tricks.
    # Read as bytes: on MicroPython, iterating a str interns each character
    # as a name for good, and the qstr pool grows in 7 KB steps.
    if not isinstance(text, str) or not text or len(text) > limit:
        return False
    for o in text.encode():
        if not 32 <= o <= 126:
            return False
    return True


def _check_uri(uri, name, allowed_hosts):
    # Returns the host of an https URL (plain http only to this machine).
    host = printable(uri, 256) and " " not in uri and config.url_host(uri)
    if not host:
        raise errors.ProtocolError("'%s' is not an https URL" % name)
    if allowed_hosts and host not in allowed_hosts:
        raise errors.ProtocolError("'%s' host is not in verification_uri_hosts" % name)
    return host


def whole_seconds(value, round_up=False):
    # Lenient number reading for server fields (FAULTS 6, 7, 12): real
    # servers send 900, "900", 900.7 or nonsense. An int or None; never
    # raises, so the caller decides what "absent" means.
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
        # Clamped so no bigint travels further (30-bit small ints on boards).
        return max(-1000000000, min(value, 1000000000))
    return None


class DeviceCode:
    # device_code is a secret (it lets anyone poll for the tokens): nothing
    # prints it, and the default repr shows no field.
    def __init__(self, device_code, user_code, uri, uri_complete, lifetime_s, interval_s, message):
        self.device_code = device_code
        self.user_code = user_code
        self.verification_uri = uri
        self.verification_uri_complete = uri_complete
        self.lifetime_s = lifetime_s
        self.interval_s = interval_s
        self.message = message


def parse_device_code(obj, max_lifetime_s, allowed_hosts=None):
    device_code = obj.get("device_code")
    if not isinstance(device_code, str) or not device_code or len(device_code) > 1024:
        raise errors.ProtocolError(BAD_FIELD % "device_code")
    user_code = obj.get("user_code")
    if not printable(user_code, 32):
        raise errors.ProtocolError(BAD_FIELD % "user_code")
    # Google spells it verification_url (FAULTS 5).
    uri = obj.get("verification_uri")
    if uri is None:
        uri = obj.get("verification_url")
    host = _check_uri(uri, "verification_uri", allowed_hosts)
    complete = obj.get("verification_uri_complete")
    if complete is not None:
        # FAULTS 16: a bad or foreign complete URI only loses the QR of it.
        try:
            if _check_uri(complete, "verification_uri_complete", allowed_hosts) != host:
                complete = None
        except errors.ProtocolError:
            complete = None
    lifetime = whole_seconds(obj.get("expires_in"))
    if lifetime is None or lifetime <= 0:
        raise errors.ProtocolError(BAD_FIELD % "expires_in")
    if lifetime > max_lifetime_s:
        lifetime = max_lifetime_s
    # FAULTS 10-12: an absent, null, true, 0 or negative interval means the
    # default ("If no value is provided, clients MUST use 5", RFC 8628 3.2);
    # a float rounds up; a huge one is clamped, and so is one that would not
    # leave time for a poll before the deadline.
    interval = whole_seconds(obj.get("interval"), round_up=True)
    if interval is None or interval <= 0:
        interval = 5
    if interval > 60:
        interval = 60
    if interval * 2 > lifetime:
        interval = max(1, lifetime // 2)
    message = obj.get("message")
    if not printable(message, 160):
        message = None
    return DeviceCode(device_code, user_code, uri, complete, lifetime, interval, message)
