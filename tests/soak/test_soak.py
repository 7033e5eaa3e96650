"""Soaks in virtual time: a month against a strict rotating-refresh server,
and ten thousand power cuts across full flows. Both run in seconds."""

from .harness import Device, Flash, PowerCut, StrictServer, VirtualClock, new_rng

DAY_MS = 86400 * 1000
WAITING = ("needs_auth", "expired", "denied", "failed")


class Soak:
    def __init__(self, seed, mean_ms_between_cuts, start_ms=0):
        self.rng = new_rng(seed)
        self.clock = VirtualClock(start_ms)
        self.flash = Flash()
        self.server = StrictServer(self.clock, self.rng)
        self.device = Device(self.server, self.clock, self.flash)
        self.mean = mean_ms_between_cuts
        self.next_cut = self._draw()
        self.cuts = self.window_cuts = self.lost = 0
        self.corrupt_boots = 0
        self._window_rt = None

    def _draw(self):
        return self.clock.ms + int(self.rng.expovariate(1.0 / self.mean))

    def _power_cut(self, was_paired):
        self.cuts += 1
        stored = self.device.stored_refresh_token()
        if stored is not None and stored in self.server.rotated and stored != self._window_rt:
            # The unavoidable window: the server issued a new refresh token
            # and the power went before it reached flash. (A second cut
            # before that token is used again is the same window.)
            self._window_rt = stored
            self.window_cuts += 1
        if was_paired and stored is None:
            self.corrupt_boots += 1
        try:
            self.device.boot()
        except PowerCut:            # the power can go during boot too
            self._power_cut(was_paired)

    def turn(self):
        app = self.device.app
        state = app.flow.state
        if state in WAITING:
            # A person presses the button and signs in again.
            self.lost += state == "needs_auth"
            app.flow.handle_button(self.clock.now())
            app._after_event()
        was_paired = state == "paired"
        if self.clock.ms >= self.next_cut:
            self.next_cut = self._draw()
            if self.rng.random() < 0.8:
                self.flash.cut_at = self.flash.ops + self.rng.randrange(0, 6)
            else:
                self._power_cut(was_paired)
                return
        try:
            wait = app.step()
        except PowerCut:
            self._power_cut(was_paired)
            return
        self.clock.wait(60000 if wait is None else wait, lambda: False)

    def run_until(self, done):
        while not done(self):
            self.turn()


def test_thirty_days_of_rotating_refresh_tokens():
    soak = Soak(seed=30, mean_ms_between_cuts=6 * 3600 * 1000)
    soak.run_until(lambda s: s.clock.ms >= 30 * DAY_MS)
    server = soak.server
    # Zero replays beyond the unavoidable window, zero pairings lost
    # outside it, and no boot that found a paired device's store empty.
    assert soak.window_cuts - 1 <= server.replays <= soak.window_cuts
    assert soak.lost == server.replays
    assert soak.corrupt_boots == 0
    assert soak.device.boots == soak.cuts + 1
    assert server.refreshes > 8000          # about one every 4.5 minutes
    writes_per_day = soak.flash.writes / 30
    assert writes_per_day < 400             # written only when content changes
    print("\nsoak: %d refreshes, %d cuts, %d in the window, %d replays, %.0f flash writes/day"
          % (server.refreshes, soak.cuts, soak.window_cuts, server.replays, writes_per_day))


def test_ten_thousand_power_cuts_across_full_flows():
    soak = Soak(seed=10000, mean_ms_between_cuts=90 * 1000)
    soak.run_until(lambda s: s.cuts >= 10000)
    assert soak.corrupt_boots == 0
    # The last window may end the run before its replay happens.
    assert soak.window_cuts - 1 <= soak.server.replays <= soak.window_cuts
    assert soak.device.boots == soak.cuts + 1
    print("\ncuts: %d cuts, %d in the window, %d re-pairings" % (soak.cuts, soak.window_cuts, soak.lost))


def test_soak_across_the_tick_wrap():
    # Start just below the 2**30 ms wrap: the schedule must not care.
    soak = Soak(seed=7, mean_ms_between_cuts=10 ** 12, start_ms=(1 << 30) - 120000)
    soak.run_until(lambda s: s.clock.ms >= (1 << 30) + DAY_MS // 4)
    assert soak.server.replays == 0
    assert soak.lost == 0
    assert soak.server.refreshes > 70
