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
        why = "is short"
    elif reply[0] & 0x07 != 4:
        why = "is not from a server"
    elif not 1 <= reply[1] <= 15:
        why = "is from an unsynchronised server"
    elif reply[24:32] != nonce:
        why = "does not answer our request"
    else:
        seconds = (reply[40] << 24) | (reply[41] << 16) | (reply[42] << 8) | reply[43]
        # NTP counts from 1900; 2208988800 s later is the Unix epoch. A time
        # before this build, or more than 20 years after, is implausible.
        unix = seconds - 2208988800
        if seconds and build_epoch_s <= unix <= build_epoch_s + 630720000:
            return unix
        why = "has no plausible time"
    raise ProtocolError("NTP reply " + why)
