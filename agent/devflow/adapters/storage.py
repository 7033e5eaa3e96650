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
# The store is plain data, a (path, fs) pair, and this module is only
# functions: the app needs them at boot (token_file.py reads the file) and
# when tokens are saved or wiped (once a pairing or a refresh), so it
# imports this module then and drops it again (app.forget). Held for the
# board's whole life, a store object would keep its class and methods in
# the heap for nothing. What the store must remember between writes, the
# signature of the file on flash, the owner keeps (save returns it).
#
# `fs` is the one seam to the file system: open, rename, remove. On a board
# (fs None) it is OsFs; tests and the emulator pass a flash that can lose
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


def save(store, tokens, written):
    # Writes the set to store = (path, fs) unless the file already holds
    # it. written: the (length, crc32) signature of the payload on flash
    # (as load or the last save returned it; None: unknown), to skip equal
    # writes without a second copy of the tokens in the heap. Returns the
    # signature of what is on flash now: `written` again when nothing was
    # written. An OSError (flash full, I/O) leaves the old file intact and
    # is raised for the caller to count and retry.
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
    if signature == written:
        return written
    path = store[0]
    fs = store[1] or OsFs()
    f = fs.open(path + ".tmp", "wb")
    try:
        f.write(MAGIC + ("%08x " % signature[1]).encode())
        for piece in pieces:
            f.write(piece)
        f.flush()
    finally:
        f.close()
    try:
        fs.rename(path + ".tmp", path)
    except OSError as e:
        if e.args and e.args[0] == _EEXIST:
            # FAT cannot rename over a file, and unlink-then-rename would
            # open a window with no token file at all (FAULTS 60). Refuse.
            raise OSError(_EEXIST, "flash cannot replace a file atomically (FAT?): use littlefs")
        raise
    return signature


def wipe(store):
    # The temp file too: nothing of the old set stays on flash.
    fs = store[1] or OsFs()
    fs.remove(store[0] + ".tmp")
    fs.remove(store[0])
