"""A flash file system that can lose power at any operation.

It keeps what littlefs guarantees and nothing more: a file opened for
writing exists (empty) at once, its data is committed by flush() or
close(), rename and remove are atomic, and a power cut throws away every
byte not yet committed. Operations are counted so a test can cut the power
at the Nth one. Used as the token store's `fs` seam (storage.py).
"""


class PowerCut(BaseException):
    """Raised where the power went; BaseException so no `except Exception`
    in the code under test can swallow it."""


class Flash:
    def __init__(self, full_after=None, fat=False):
        self.fat = fat           # FAT: rename onto an existing file fails
        self.files = {}          # path -> committed bytes
        self.ops = 0             # operations performed so far
        self.cut_at = None       # the op index at which power is lost
        self.full_after = full_after  # bytes of free space (ENOSPC past it)
        self.open_files = []
        self.writes = 0          # files written, for flash-wear counts

    def _op(self, name):
        if self.cut_at is not None and self.ops == self.cut_at:
            self.cut_at = None
            self.power_cut()
            raise PowerCut(name)
        self.ops += 1

    def power_cut(self):
        for f in self.open_files:
            f.dead = True
        self.open_files = []

    def open(self, path, mode):
        self._op("open")
        if "r" in mode:
            if path not in self.files:
                raise OSError(2, "ENOENT")
            return _Reader(self.files[path])
        self.files[path] = b""
        f = _Writer(self, path)
        self.open_files.append(f)
        return f

    def rename(self, old, new):
        self._op("rename")
        if old not in self.files:
            raise OSError(2, "ENOENT")
        if self.fat and new in self.files:
            raise OSError(17, "EEXIST")
        self.files[new] = self.files.pop(old)

    def remove(self, path):
        self._op("remove")
        self.files.pop(path, None)

    def used(self):
        return sum(len(v) for v in self.files.values())


class _Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def read(self, n=-1):
        end = len(self.data) if n < 0 else self.pos + n
        out = self.data[self.pos:end]
        self.pos += len(out)
        return out

    def close(self):
        pass


class _Writer:
    def __init__(self, flash, path):
        self.flash = flash
        self.path = path
        self.buffer = b""
        self.dead = False

    def write(self, data):
        self.flash._op("write")
        if self.flash.full_after is not None and self.flash.used() + len(self.buffer) + len(data) > self.flash.full_after:
            raise OSError(28, "ENOSPC")
        self.buffer += bytes(data)
        return len(data)

    def _commit(self):
        if not self.dead:
            self.flash.files[self.path] = self.buffer

    def flush(self):
        self.flash._op("flush")
        self._commit()

    def close(self):
        self.flash._op("close")
        self._commit()
        if not self.dead:
            self.flash.writes += 1   # one file written
        if self in self.flash.open_files:
            self.flash.open_files.remove(self)
