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
import os

from binascii import crc32

MAGIC = b"DFT1 "
_EEXIST = const(17)
FIELDS = ("access_token", "refresh_token", "id_token", "scope", "name")


class OsFs:
    # The board's file system: the builtin open, os.rename, and a remove
    # that does not mind a missing file.
    open = staticmethod(open)
    rename = staticmethod(os.rename)

    def remove(self, path):
        try:
            os.remove(path)
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

    def load(self):
        # At boot: drop a stale temp file, then read the set or nothing. A
        # boot-time job, so its code is in token_file.py, which the owner
        # drops from the heap once the app is built.
        from devflow.adapters.token_file import load
        return load(self)

    def save(self, tokens):
        # Returns True when written, False when the same content was there.
        # An OSError (flash full, I/O) leaves the old file intact and is
        # raised for the caller to count and retry.
        #
        # The payload, a JSON object, is a list of pieces, gone over twice:
        # for its (length, crc32), which the header holds, then into the
        # file. A value with nothing to escape (a token always) is a piece
        # as it is, and on MicroPython encode() shares a str's bytes: no
        # copy of a token is made, let alone of a record of them all.
        # Each value's closing quote goes with what follows it. The pieces
        # between values are str constants (names, in no heap) encoded when
        # used: bytes constants would stay in the heap with the module.
        pieces = ["{".encode()]
        sep = '"'
        for key in FIELDS:
            value = getattr(tokens, key, None)
            if value is not None:
                data = value.encode()
                if '"' in value or "\\" in value or data and min(data) < 32:
                    data = json.dumps(value)[1:-1].encode()   # escaped
                pieces.append(sep.encode())
                pieces.append(key.encode())
                pieces.append('": "'.encode())
                pieces.append(data)
                sep = '", "'
        pieces.append(("}" if sep == '"' else '"}').encode())
        size = crc = 0
        for piece in pieces:
            size += len(piece)
            crc = crc32(piece, crc)
        signature = (size, crc & 0xFFFFFFFF)
        if signature == self._last:
            return False
        f = self.fs.open(self.tmp, "wb")
        try:
            f.write(MAGIC + ("%08x " % signature[1]).encode())
            for piece in pieces:
                f.write(piece)
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
        self._last = signature
        return True

    def wipe(self):
        self.fs.remove(self.tmp)
        self.fs.remove(self.path)
        self._last = None
