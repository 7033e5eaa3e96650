# The token store: one file on flash, replaced atomically.
#
#   DFT1 <crc32 of payload, 8 hex> <payload: JSON of the token set>
#
# A write goes to a temp file (write, flush, close) which is then renamed
# over the old one: littlefs renames atomically, so after a power cut the
# file holds the old set or the new set, never a mix. A stale temp file is
# removed at boot. A file that is truncated, foreign, of another version or
# fails its checksum is removed, and the device asks for a new pairing:
# garbage is never sent as a token. The same content is never written twice
# (flash wear).
#
# `fs` is the one seam to the file system: open, rename, remove. On a board
# it is the os module; tests and the emulator pass a flash that can lose
# power at any operation.

from micropython import const
import json

from binascii import crc32

MAGIC = b"DFT1 "
_EEXIST = const(17)
MAX_FILE = 40000
_FIELDS = const(("access_token", "refresh_token", "id_token", "scope", "name"))


def _crc(data):
    return crc32(data) & 0xFFFFFFFF


class OsFs:
    def __init__(self):
        import os
        self._os = os

    open = staticmethod(open)   # the builtin, as it is

    def rename(self, old, new):
        self._os.rename(old, new)

    def remove(self, path):
        try:
            self._os.remove(path)
        except OSError:
            pass   # already gone: what we wanted


class TokenStore:
    def __init__(self, path, fs=None, token_class=None):
        self.path = path
        self.tmp = path + ".tmp"
        self.fs = fs or OsFs()
        self.token_class = token_class
        # (length, crc32) of the payload on flash, to skip equal writes
        # without a second copy of the tokens in the heap.
        self._last = None
        self.problem = None    # why the last load found nothing usable

    def payload(self, tokens):
        record = {}
        for key in _FIELDS:
            value = getattr(tokens, key, None)
            if value is not None:
                record[key] = value
        return json.dumps(record).encode()

    def decode(self, data):
        # Returns (dict of token fields, (payload length, crc32)), or raises
        # ValueError saying what is wrong with the file ("is truncated", ...).
        if not data.startswith(MAGIC):
            raise ValueError("is foreign or of another version")
        head = len(MAGIC)
        if len(data) < head + 9 or data[head + 8:head + 9] != b" ":
            raise ValueError("is truncated")
        payload = data[head + 9:]
        try:
            stored = int(data[head:head + 8], 16)
        except ValueError:
            raise ValueError("has an unreadable checksum")
        if stored != _crc(payload):
            raise ValueError("fails its checksum")
        record = json.loads(payload)
        if not isinstance(record, dict) or not isinstance(record.get("access_token"), str):
            raise ValueError("has no access token")
        return record, (len(payload), stored)

    def _read(self, path):
        # The file's bytes (None: no file), read in pieces: read(n) would
        # ask the heap for n contiguous bytes up front, and a board's token
        # file is a few KB against a cap of 40 KB. Past the cap, the first
        # MAX_FILE + 1 bytes are enough to say it is too large.
        try:
            f = self.fs.open(path, "rb")
        except OSError:
            return None
        pieces = []
        size = 0
        try:
            while size <= MAX_FILE:
                piece = f.read(1024)
                if not piece:
                    break
                pieces.append(piece)
                size += len(piece)
        finally:
            f.close()
        return b"".join(pieces)

    def load(self):
        # At boot: drop a stale temp file, then read the set or nothing.
        self.fs.remove(self.tmp)
        self.problem = None
        data = self._read(self.path)
        if data is None:
            return None
        try:
            if len(data) > MAX_FILE:
                raise ValueError("is too large")
            record, signature = self.decode(data)
        except ValueError as e:
            self.problem = "token file " + str(e)
            self.fs.remove(self.path)
            return None
        self._last = signature
        tokens = self.token_class(record["access_token"])
        for key in _FIELDS:
            setattr(tokens, key, record.get(key))
        return tokens

    def save(self, tokens):
        # Returns True when written, False when the same content was there.
        # An OSError (flash full, I/O) leaves the old file intact and is
        # raised for the caller to count and retry.
        payload = self.payload(tokens)
        crc = _crc(payload)
        if (len(payload), crc) == self._last:
            return False
        f = self.fs.open(self.tmp, "wb")
        try:
            # Three writes, not one joined copy of the tokens.
            f.write(MAGIC)
            f.write(("%08x " % crc).encode())
            f.write(payload)
            f.flush()
        finally:
            f.close()
        try:
            self.fs.rename(self.tmp, self.path)
        except OSError as e:
            if e.args and e.args[0] == _EEXIST:
                # FAT cannot rename over a file, and unlink-then-rename would
                # open a window with no token file at all (FAULTS 60). Refuse.
                raise OSError(_EEXIST, "flash cannot replace a file atomically (FAT?): use littlefs")
            raise
        self._last = (len(payload), crc)
        return True

    def wipe(self):
        self.fs.remove(self.tmp)
        self.fs.remove(self.path)
        self._last = None
