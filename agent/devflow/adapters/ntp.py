# Setting the board's wall clock from an NTP server, once after Wi-Fi is up.
# Intervals and deadlines never use it (they run on ticks); only the ID
# token's expiry check and TLS certificate dates do, and only when it is set.

from devflow.core import sntp
from devflow.core.errors import ProtocolError
from devflow.core.logline import format_line

NTP_PORT = 123
TIMEOUT_S = 2


def query(host, build_epoch_s, tries=3):
    # Returns Unix seconds or None. Each try waits TIMEOUT_S at most.
    import os
    import socket
    try:
        address = socket.getaddrinfo(host, NTP_PORT)[0][-1]
    except OSError:
        return None
    for _ in range(tries):
        nonce = os.urandom(8)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.settimeout(TIMEOUT_S)
            s.sendto(sntp.request(nonce), address)
            reply = s.recv(sntp.PACKET)
            return sntp.parse(reply, nonce, build_epoch_s)
        except (OSError, ProtocolError):
            pass
        finally:
            s.close()
    return None


def set_board_clock(unix_s):
    # machine.RTC counts from the port's epoch; gmtime gives its fields.
    import time
    try:
        from machine import RTC
    except ImportError:
        return False   # a PC: its clock is the host's business
    epoch_2000 = time.gmtime(0)[0] == 2000
    t = time.gmtime(unix_s - (946684800 if epoch_2000 else 0))
    RTC().datetime((t[0], t[1], t[2], t[6] + 1, t[3], t[4], t[5], 0))
    return True


def sync(host, build_epoch_s, out=print):
    unix = query(host, build_epoch_s)
    if unix is None:
        out(format_line("clock", {"state": "not_set", "source": host}))
        return False
    set_board_clock(unix)
    out(format_line("clock", {"state": "set", "source": host}))
    return True
