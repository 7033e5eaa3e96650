# SNTP (RFC 4330) packets, built and checked without I/O.
#
# A board's wall clock comes from the network, so a spoofed or broken answer
# must not move it (FAULTS 53): the answer must be a server reply to *our*
# request (its originate timestamp echoes our transmit timestamp), from a
# synchronised server (stratum 1-15), and name a time after this build and
# not absurdly far beyond it. Anything else is refused and the previous
# time (or "not set") is kept.

from devflow.core.errors import ProtocolError

PACKET = 48
NTP_TO_UNIX_S = 2208988800          # 1900-01-01 to 1970-01-01
MAX_AHEAD_S = 20 * 365 * 86400       # a build older than 20 years is not our problem


def request(nonce):
    # nonce: 8 bytes, sent as the transmit timestamp and expected back as
    # the originate timestamp.
    packet = bytearray(PACKET)
    packet[0] = 0x23                 # LI 0, version 4, mode 3 (client)
    packet[40:48] = nonce
    return packet


def parse(reply, nonce, build_epoch_s):
    # Returns Unix seconds, or raises ProtocolError saying what was wrong.
    if reply is None or len(reply) < PACKET:
        raise ProtocolError("NTP reply is short")
    if reply[0] & 0x07 != 4:
        raise ProtocolError("NTP reply is not from a server")
    if not 1 <= reply[1] <= 15:
        raise ProtocolError("NTP server is not synchronised")
    if bytes(reply[24:32]) != bytes(nonce):
        raise ProtocolError("NTP reply does not answer our request")
    seconds = (reply[40] << 24) | (reply[41] << 16) | (reply[42] << 8) | reply[43]
    if seconds == 0:
        raise ProtocolError("NTP reply has no time")
    unix = seconds - NTP_TO_UNIX_S
    if unix < build_epoch_s or unix > build_epoch_s + MAX_AHEAD_S:
        raise ProtocolError("NTP time is implausible")
    return unix
