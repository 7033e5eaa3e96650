# The bit-packed mask scorer against the plain reference in qr_reference.py.
import random

import pytest

import qr_reference as ref
from devflow.core import qr


def payloads(seed, count, vmax):
    rng = random.Random(seed)
    for _ in range(count):
        ecl = rng.randrange(4)
        version = rng.randrange(1, vmax + 1)
        n = rng.randrange(qr.capacity(version, ecl) + 1)
        yield bytes(rng.getrandbits(8) for _ in range(n)), ecl, version


def reference_scores(data, ecl, version):
    return [ref.penalty(ref.grid_for_scoring(
        qr.encode(data, ecl=ecl, version=version, mask=k, boost=False)))
        for k in range(8)]


def penalties(data, ecl, version=None):
    # The eight masks' scores, as encode() reports them.
    scores = []
    qr.encode(data, ecl=ecl, version=version, boost=False, scores=scores)
    return scores


def check(data, ecl, version):
    scores = penalties(data, ecl, version)
    assert scores == reference_scores(data, ecl, version), (data, ecl, version)
    chosen = qr.encode(data, ecl=ecl, version=version, boost=False).mask
    # Lowest penalty wins; ties go to the lowest mask number.
    assert chosen == scores.index(min(scores))


def test_scores_and_choice_match_reference():
    for case in payloads(1, 240, vmax=6):
        check(*case)


def test_larger_versions():
    for case in payloads(2, 12, vmax=10):
        check(*case)


@pytest.mark.parametrize("band", [12, 24])
def test_narrow_bands_as_on_32_bit_boards(monkeypatch, band):
    # 32-bit ports split lines into bands of 24 modules (12 here to stress
    # the seams); the scores must not depend on the band height.
    monkeypatch.setattr(qr, "_H", band)
    for case in payloads(3, 40, vmax=10):
        check(*case)


def test_known_payload_scores():
    data = b"https://auth.example.com/device?user_code=WDJB-MJHT"
    scores = penalties(data, 0)
    assert scores == reference_scores(data, 0, 3)


def test_mask_table_matches_the_standard_conditions():
    # Table 10 of ISO/IEC 18004, i = row, j = column.
    conditions = [
        lambda i, j: (i + j) % 2 == 0,
        lambda i, j: i % 2 == 0,
        lambda i, j: j % 3 == 0,
        lambda i, j: (i + j) % 3 == 0,
        lambda i, j: (i // 2 + j // 3) % 2 == 0,
        lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
        lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
        lambda i, j: ((i + j) % 2 + (i * j) % 3) % 2 == 0,
    ]
    for k, cond in enumerate(conditions):
        for i in range(24):
            for j in range(24):
                tile = qr._TILE[k * 12 + i % 12] >> (j % 6) & 1
                assert tile == cond(i, j), (k, i, j)
