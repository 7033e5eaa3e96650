# Reading the token file (the format is in storage.py), once, at boot: its
# own module, so this code leaves the heap after boot (app.forget), with
# storage.py, which the app imports again only to save or wipe.

from micropython import const
import json

from binascii import crc32
from devflow.adapters.storage import FIELDS, MAGIC, OsFs

_MAX_FILE = const(40000)


def load(store):
    # Drops a stale temp file of store = (path, fs), then reads the set on
    # flash. Returns (tokens, None, signature) (see storage.save), or
    # (None, problem, None) where problem says why a file that was there
    # is unusable (it is then removed), None when there was no file.
    path = store[0]
    fs = store[1] or OsFs()
    fs.remove(path + ".tmp")
    # The file is read in pieces: read(n) would ask the heap for n
    # contiguous bytes up front, and a board's token file is a few KB
    # against a cap of 40 KB. Past the cap, the first _MAX_FILE + 1 bytes
    # are enough to say it is too large.
    try:
        f = fs.open(path, "rb")
    except OSError:
        return None, None, None
    pieces = []
    size = 0
    try:
        while size <= _MAX_FILE:
            piece = f.read(1024)
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
    finally:
        f.close()
    data = b"".join(pieces)
    pieces = None
    head = len(MAGIC)
    payload = data[head + 9:]
    try:
        if size > _MAX_FILE:
            raise ValueError("is too large")
        if not data.startswith(MAGIC):
            raise ValueError("is foreign or of another version")
        if len(data) < head + 9 or data[head + 8:head + 9] != b" ":
            raise ValueError("is truncated")
        try:
            stored = int(data[head:head + 8], 16)
        except ValueError:
            stored = -1     # unreadable: fails below
        if stored != crc32(payload) & 0xFFFFFFFF:
            raise ValueError("fails its checksum")
        record = json.loads(payload)
        if not isinstance(record, dict) or not isinstance(record.get("access_token"), str):
            raise ValueError("has no access token")
    except ValueError as e:
        fs.remove(path)
        return None, "token file " + str(e), None
    # The token class is imported where it is used; tokens.py is in the
    # heap anyway (the pairing steps and the session both read with it).
    from devflow.core.tokens import TokenSet
    tokens = TokenSet(record["access_token"])
    for key in FIELDS:
        setattr(tokens, key, record.get(key))
    return tokens, None, (len(payload), stored)
