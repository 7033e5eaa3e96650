# Fit rules: which payload gets the QR code, at what scale and quiet zone.
from devflow.core.qrfit import fit_qr
from qr_reference import qr_box

COMPLETE = ("https://login.example-idp.com/oauth2/device/verify"
            "?user_code=WDJB-MJHT&lang=en-US")  # 5-L: 37 modules
SHORT = "https://login.example-idp.com/device"  # 36 bytes: 3-L, 29 modules


def test_prefers_the_complete_uri_when_it_fits_at_2px():
    m, scale, quiet = fit_qr(82, 82, [COMPLETE, SHORT])
    assert (m.size, scale, quiet) == (37, 2, 2)  # (37 + 4) * 2 = 82
    assert qr_box(m, scale, quiet) == 82


def test_falls_back_to_the_short_uri():
    m, scale, quiet = fit_qr(80, 200, [COMPLETE, SHORT])  # 37 needs 82 px
    assert (m.size, scale) == (29, 2)
    assert quiet == 4  # (29 + 8) * 2 = 74 <= 80: room for the full zone
    assert qr_box(m, scale, quiet) <= 80


def test_none_when_nothing_fits():
    assert fit_qr(60, 60, [COMPLETE, SHORT]) is None
    assert fit_qr(200, 200, []) is None


def test_none_entries_and_unencodable_payloads_are_skipped():
    m, _, _ = fit_qr(100, 100, [None, "x" * 5000, SHORT])
    assert m.size == 29


def test_largest_scale_then_widest_quiet_zone():
    # 128x64 OLED: the height limits. Neither 37 nor 29 modules fit at
    # 2 px with 2 quiet modules; 25 modules do, with room for 3.
    tiny = "https://ex.com/dev"  # 18 bytes: 2-L
    m, scale, quiet = fit_qr(128, 64, [COMPLETE, SHORT, tiny])
    assert (m.size, scale, quiet) == (25, 2, 3)  # (25 + 6) * 2 = 62
    m, scale, quiet = fit_qr(240, 240, [COMPLETE, SHORT])
    assert (m.size, scale, quiet) == (37, 5, 4)  # (37 + 8) * 5 = 225
    m, scale, quiet = fit_qr(246, 246, [COMPLETE])
    assert (scale, quiet) == (6, 2)  # 41 * 6 = 246: scale wins over zone


def test_min_scale_and_minimum_quiet_are_honoured():
    assert fit_qr(240, 240, [COMPLETE], min_scale=6) is None  # 240 // 41 = 5
    m, scale, quiet = fit_qr(240, 240, [COMPLETE], quiet=5)
    assert (scale, quiet) == (5, 5)  # never fewer than asked, even above 4
    assert qr_box(m, scale, quiet) <= 240
