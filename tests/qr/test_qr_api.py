# The encoder API the display code relies on: version and level choice,
# forced mask/version, errors, the matrix object.
import pytest

from devflow.core import qr
from qr_reference import module

SHORT = "https://auth.example.com/device?user_code=WDJB-MJHT"  # 51 bytes
LONG = ("https://login.example-idp.com/oauth2/device/verify"
        "?user_code=WDJB-MJHT&lang=en-US")  # 81 bytes


def test_smallest_version_is_chosen():
    assert qr.encode(SHORT, boost=False).version == 3
    assert qr.encode(LONG, boost=False).version == 5
    assert qr.encode(b"", boost=False).version == 1
    # Exactly at capacity still fits; one byte more needs the next version.
    assert qr.encode(b"x" * 17, boost=False).version == 1
    assert qr.encode(b"x" * 18, boost=False).version == 2


def test_boost_raises_level_within_the_same_version():
    m = qr.encode(b"x" * 10, ecl=0)
    assert (m.version, m.ecl) == (1, 2)  # 1-H holds only 7 bytes
    m = qr.encode(SHORT, ecl=0)
    assert (m.version, m.ecl) == (3, 0)  # 3-M holds only 42
    assert qr.encode(b"x" * 10, ecl=0, boost=False).ecl == 0
    # With a forced version, boost uses the room of that version.
    assert qr.encode(b"x" * 10, version=2).ecl == 3


def test_forced_version_and_mask():
    m = qr.encode(SHORT, version=6, mask=5, boost=False)
    assert (m.size, m.version, m.mask, m.ecl) == (41, 6, 5, 0)
    for k in range(8):
        assert qr.encode(SHORT, mask=k).mask == k


def test_str_is_utf8():
    assert qr.encode("h\u00e9").size == qr.encode("h\u00e9".encode()).size
    a, b = qr.encode("h\u00e9", mask=0), qr.encode(b"h\xc3\xa9", mask=0)
    assert a.bits == b.bits


def test_too_long_says_how_to_recover():
    with pytest.raises(ValueError) as e:
        qr.encode(LONG, ecl=1, version=4)
    msg = str(e.value)
    assert "version 4 at level M (81 bytes, max 62)" in msg
    assert "lower level or shorter data" in msg
    with pytest.raises(ValueError, match="version 10 at level H .120 bytes, max 119"):
        qr.encode(b"x" * 120, ecl=3)
    assert qr.encode(b"x" * 271).version == 10  # the largest payload
    with pytest.raises(ValueError, match="up to version 10 at level L"):
        qr.encode(b"x" * 272)


@pytest.mark.parametrize("kwargs", [
    {"ecl": 4}, {"ecl": -1}, {"version": 0}, {"version": 11}, {"mask": 8},
    {"mask": -1},
])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        qr.encode(SHORT, **kwargs)


def test_matrix_reads():
    m = qr.encode(SHORT)
    assert m.size == 29
    # Finder pattern corners and the dark module.
    assert module(m, 0, 0) == module(m, 28, 0) == module(m, 0, 28) == 1
    assert module(m, 7, 7) == 0
    assert module(m, 8, m.size - 8) == 1
    # Packed rows, leftmost module in the top bit (framebuf's MONO_HLSB).
    stride = (m.size + 7) // 8
    assert len(m.bits) == m.size * stride
    for y in range(m.size):
        for x in range(m.size):
            assert module(m, x, y) == m.bits[y * stride + x // 8] >> (7 - x % 8) & 1


def test_constants():
    # Popcount masks: 01, 0011 and 00001111 patterns one nibble wider than
    # the widest word (_H + 1 bits).
    top = (1 << qr._H + 4) - 1
    assert (qr._M1, qr._M2, qr._M4) == (top // 3, top // 5, top // 17 << 4 | 15)
    # Version information: version << 12 | BCH remainder (Annex D).
    for version in range(7, 11):
        r = version << 12
        for i in range(17, 11, -1):
            if r >> i & 1:
                r ^= 0x1F25 << i - 12
        assert qr._VERSION_INFO[version - 7] == version << 12 | r
