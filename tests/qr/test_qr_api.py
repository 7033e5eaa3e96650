# The encoder API the display code relies on: version and level choice,
# forced mask/version, errors, the matrix object.
import pytest

from devflow.core import qr

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
    m = qr.encode(b"x" * 10, ecl=qr.ECL_L)
    assert (m.version, m.ecl) == (1, qr.ECL_Q)  # 1-H holds only 7 bytes
    m = qr.encode(SHORT, ecl=qr.ECL_L)
    assert (m.version, m.ecl) == (3, qr.ECL_L)  # 3-M holds only 42
    assert qr.encode(b"x" * 10, ecl=qr.ECL_L, boost=False).ecl == qr.ECL_L
    # With a forced version, boost uses the room of that version.
    assert qr.encode(b"x" * 10, version=2).ecl == qr.ECL_H


def test_forced_version_and_mask():
    m = qr.encode(SHORT, version=6, mask=5, boost=False)
    assert (m.size, m.version, m.mask, m.ecl) == (41, 6, 5, qr.ECL_L)
    for k in range(8):
        assert qr.encode(SHORT, mask=k).mask == k


def test_str_is_utf8():
    assert qr.encode("h\u00e9").size == qr.encode("h\u00e9".encode()).size
    a, b = qr.encode("h\u00e9", mask=0), qr.encode(b"h\xc3\xa9", mask=0)
    assert a.bits == b.bits


def test_too_long_says_how_to_recover():
    with pytest.raises(ValueError) as e:
        qr.encode(LONG, ecl=qr.ECL_M, version=4)
    msg = str(e.value)
    assert "version 4 at level M (81 bytes, max 62)" in msg
    assert "lower level or shorter data" in msg
    with pytest.raises(ValueError, match="version 10 at level H .120 bytes, max 119"):
        qr.encode(b"x" * 120, ecl=qr.ECL_H)
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
    assert m.get(0, 0) == m.get(28, 0) == m.get(0, 28) == 1
    assert m.get(7, 7) == 0
    assert m.get(8, m.size - 8) == 1
    # Packed rows, leftmost module in the top bit (framebuf's MONO_HLSB).
    stride = (m.size + 7) // 8
    assert len(m.bits) == m.size * stride
    for y in range(m.size):
        for x in range(m.size):
            assert m.get(x, y) == m.bits[y * stride + x // 8] >> (7 - x % 8) & 1


def test_constants():
    assert (qr.ECL_L, qr.ECL_M, qr.ECL_Q, qr.ECL_H) == (0, 1, 2, 3)
