# The device authorization response (RFC 8628 3.2), checked field by field.
#
# What is shown on the screen comes from here, so the checks are strict
# where a hostile server could spoof the display (FAULTS 13, 14) and lenient
# where real servers differ harmlessly (FAULTS 5, 7, 12).

from devflow.core.config import url_host
from devflow.core.errors import ProtocolError
from devflow.core.numbers import whole_seconds

DEFAULT_INTERVAL_S = 5   # RFC 8628 3.2: "If no value is provided, clients MUST use 5"
MAX_INTERVAL_S = 60
MAX_USER_CODE = 32
MAX_URI = 256
MAX_MESSAGE = 160


def printable(text, limit):
    # Printable ASCII only: no control characters, no escapes, no bidi tricks.
    if not isinstance(text, str) or not text or len(text) > limit:
        return False
    for ch in text:
        o = ord(ch)
        if o < 0x20 or o > 0x7E:
            return False
    return True


def _check_uri(uri, name, allowed_hosts):
    if not printable(uri, MAX_URI) or " " in uri:
        raise ProtocolError("'%s' is missing, too long or not printable" % name)
    parsed = url_host(uri)
    if parsed is None:
        raise ProtocolError("'%s' is not an absolute URL" % name)
    scheme, host = parsed
    loopback = host == "localhost" or host.startswith("127.") or host == "[::1]"
    if scheme != "https" and not (scheme == "http" and loopback):
        raise ProtocolError("'%s' is not https" % name)
    if allowed_hosts and host not in allowed_hosts:
        raise ProtocolError("'%s' host is not in verification_uri_hosts" % name)
    return host


class DeviceCode:
    # device_code is a secret (it lets anyone poll for the tokens): __repr__
    # leaves it out, and nothing else prints it.
    def __init__(self, device_code, user_code, uri, uri_complete, lifetime_s, interval_s, message):
        self.device_code = device_code
        self.user_code = user_code
        self.verification_uri = uri
        self.verification_uri_complete = uri_complete
        self.lifetime_s = lifetime_s
        self.interval_s = interval_s
        self.message = message

    def __repr__(self):
        return "<DeviceCode %s>" % self.user_code


def _interval(value, lifetime_s):
    # FAULTS 10-12: absent, null, true, 0 or negative mean the default; a
    # float rounds up; a huge one is clamped, and so is one that would not
    # leave time for a poll before the deadline.
    interval = whole_seconds(value, round_up=True)
    if interval is None or interval <= 0:
        interval = DEFAULT_INTERVAL_S
    if interval > MAX_INTERVAL_S:
        interval = MAX_INTERVAL_S
    if interval * 2 > lifetime_s:
        interval = max(1, lifetime_s // 2)
    return interval


def parse_device_code(obj, max_lifetime_s, allowed_hosts=None):
    device_code = obj.get("device_code")
    if not isinstance(device_code, str) or not device_code or len(device_code) > 1024:
        raise ProtocolError("'device_code' is missing or not a string")
    user_code = obj.get("user_code")
    if not printable(user_code, MAX_USER_CODE):
        raise ProtocolError("'user_code' is missing, too long or not printable")
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
        except ProtocolError:
            complete = None
    lifetime = whole_seconds(obj.get("expires_in"))
    if lifetime is None or lifetime <= 0:
        raise ProtocolError("'expires_in' is missing or not a positive number")
    if lifetime > max_lifetime_s:
        lifetime = max_lifetime_s
    message = obj.get("message")
    if not printable(message, MAX_MESSAGE):
        message = None
    return DeviceCode(device_code, user_code, uri, complete, lifetime,
                      _interval(obj.get("interval"), lifetime), message)
