"""The token store on a flash that loses power: after every boot it holds
the old set or the new set, never empty, mixed or corrupt."""

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "agent"))

from devflow.adapters import storage, token_file  # noqa: E402
from devflow.core.tokens import TokenSet  # noqa: E402

from .flash import Flash, PowerCut  # noqa: E402

PATH = "/devflow_tokens.bin"


def tokens(n):
    return TokenSet("ACCESS-%d" % n, "REFRESH-%d" % n, "ID-%d" % n, 300, "openid", "Alice")


class Store:
    # The module functions as the app uses them: the store is a (path, fs)
    # pair, and the owner keeps the signature save and load return.
    def __init__(self, flash):
        self.place = (PATH, flash)
        self.written = self.problem = None

    def load(self):
        tokens, self.problem, self.written = token_file.load(self.place)
        return tokens

    def save(self, tokens):
        # True when written, False when the same content was there.
        before = self.written
        self.written = storage.save(self.place, tokens, before)
        return self.written is not before


def store(flash):
    return Store(flash)


def boot(flash):
    loaded = store(flash).load()
    return None if loaded is None else loaded.refresh_token


def save_ops():
    # How many flash operations one save takes (open, write, flush, close, rename).
    flash = Flash()
    s = store(flash)
    s.load()
    before = flash.ops
    s.save(tokens(2))
    return flash.ops - before


def test_round_trip_and_no_rewrite_of_equal_content():
    flash = Flash()
    s = store(flash)
    assert s.load() is None
    assert s.save(tokens(1)) is True
    assert s.save(tokens(1)) is False          # flash wear: same content, no write
    loaded = store(flash).load()
    assert (loaded.access_token, loaded.refresh_token, loaded.id_token, loaded.name) == (
        "ACCESS-1", "REFRESH-1", "ID-1", "Alice")


@pytest.mark.parametrize("index", range(save_ops()))
def test_power_cut_at_every_operation_of_a_write(index):
    flash = Flash()
    first = store(flash)
    first.load()
    first.save(tokens(1))
    s = store(flash)
    s.load()
    flash.cut_at = flash.ops + index
    with pytest.raises(PowerCut):
        s.save(tokens(2))
    assert boot(flash) in ("REFRESH-1", "REFRESH-2")
    assert PATH + ".tmp" not in flash.files     # the stale temp file went at boot


def test_ten_thousand_random_power_cuts_across_rotations():
    rng = random.Random(8628)
    flash = Flash()
    generation = 1
    cuts = 0
    s = store(flash)
    s.load()
    s.save(tokens(1))   # from here on there is always a set to keep
    while cuts < 10000:
        if rng.random() < 0.7:
            flash.cut_at = flash.ops + rng.randrange(0, 12)
        try:
            s.save(tokens(generation + 1))
            generation += 1
            flash.cut_at = None
        except PowerCut:
            cuts += 1
            # Reboot: the set on flash is the last saved one or the new one.
            found = boot(flash)
            assert found in ("REFRESH-%d" % generation, "REFRESH-%d" % (generation + 1))
            if found == "REFRESH-%d" % (generation + 1):
                generation += 1
            s = store(flash)
            s.load()
        except OSError:
            pytest.fail("no OSError expected on a flash with room")
    assert generation > 1000


@pytest.mark.parametrize("garbage", [
    b"", b"DFT1 ", b"DFT1 0000", b"DFT0 12345678 {}", b"\x00" * 64, bytes(range(256)),
    b"DFT1 00000000 {\"access_token\": \"x\"}", b"{\"access_token\": \"x\"}",
])
def test_corrupt_or_foreign_file_is_removed(garbage):
    flash = Flash()
    flash.files[PATH] = garbage
    s = store(flash)
    assert s.load() is None
    assert s.problem
    assert PATH not in flash.files
    for secretish in ("ACCESS", "REFRESH"):
        assert secretish not in s.problem


def test_truncated_file_is_detected():
    flash = Flash()
    store(flash).save(tokens(1))
    flash.files[PATH] = flash.files[PATH][:-5]
    assert store(flash).load() is None


def test_oversized_file_is_refused_and_removed():
    flash = Flash()
    store(flash).save(tokens(1))
    flash.files[PATH] = flash.files[PATH] + b" " * 50000
    s = store(flash)
    assert s.load() is None
    assert "too large" in s.problem and PATH not in flash.files


def test_flipped_bit_fails_the_checksum():
    flash = Flash()
    store(flash).save(tokens(1))
    data = bytearray(flash.files[PATH])
    data[-3] ^= 0x01
    flash.files[PATH] = bytes(data)
    s = store(flash)
    assert s.load() is None
    assert "checksum" in s.problem


def test_stale_temp_file_is_removed_at_boot_and_valid_file_used():
    flash = Flash()
    store(flash).save(tokens(1))
    flash.files[PATH + ".tmp"] = b"DFT1 half"
    assert boot(flash) == "REFRESH-1"
    assert PATH + ".tmp" not in flash.files


def test_disk_full_leaves_the_old_file_intact():
    flash = Flash()
    store(flash).save(tokens(1))
    flash.full_after = flash.used() + 10
    s = store(flash)
    s.load()
    with pytest.raises(OSError):
        s.save(tokens(2))
    assert boot(flash) == "REFRESH-1"


def test_fat_flash_is_refused_with_a_clear_message_and_the_old_file_kept():
    flash = Flash(fat=True)
    store(flash).save(tokens(1))          # the first write creates the file
    s = store(flash)
    s.load()
    with pytest.raises(OSError) as raised:
        s.save(tokens(2))
    assert "littlefs" in str(raised.value)
    assert boot(flash) == "REFRESH-1"


def test_values_that_need_escaping_round_trip():
    # A value with a quote, a backslash or a control character is written
    # escaped; the rest as it is.
    flash = Flash()
    odd = TokenSet('ACC"ESS\\1', "REFRESH-1", None, 300, "openid\tprofil\u00e9", 'Al"ice')
    assert store(flash).save(odd) is True
    loaded = store(flash).load()
    assert (loaded.access_token, loaded.refresh_token, loaded.id_token, loaded.scope, loaded.name) == (
        'ACC"ESS\\1', "REFRESH-1", None, "openid\tprofil\u00e9", 'Al"ice')
    assert store(flash).save(odd) is True       # a new store has no signature yet
    s = store(flash)
    s.load()
    assert s.save(odd) is False                 # the loaded signature matches what save computes


def test_a_file_written_as_one_json_record_loads():
    # The format is unchanged: a file written whole (the old writer) loads.
    import json
    from binascii import crc32
    payload = json.dumps({"access_token": "ACCESS-9", "refresh_token": "REFRESH-9"}).encode()
    flash = Flash()
    flash.files[PATH] = b"DFT1 %08x " % (crc32(payload) & 0xFFFFFFFF) + payload
    assert boot(flash) == "REFRESH-9"


def test_wipe_removes_the_file_and_a_stale_temp_file():
    flash = Flash()
    store(flash).save(tokens(1))
    flash.files[PATH + ".tmp"] = b"DFT1 half"
    storage.wipe((PATH, flash))
    assert flash.files == {}
    assert boot(flash) is None
