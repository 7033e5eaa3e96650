"""An emulated board running in a thread, for end-to-end tests: start it,
wait on what it prints or shows (events with timeouts, never sleeps), read
its QR, stop it. Shared by tests/e2e and tests/boards."""

import threading

WAIT_S = 30


class RunningBoard:
    """An Emulator in a thread, with its exit status (or what ended it)."""

    def __init__(self, emulator, until, timeout):
        self.emulator = emulator
        self.result = {}
        self.thread = threading.Thread(target=self._run, args=(until, timeout), daemon=True)
        self.thread.start()

    def _run(self, until, timeout):
        try:
            self.result["code"] = self.emulator.run(until=until, timeout=timeout)
        except BaseException as e:       # a PowerCut ends the run like a real one
            self.result["error"] = e
            with self.emulator.changed:
                self.emulator.changed.notify_all()

    def wait(self, predicate, timeout=WAIT_S):
        return self.emulator.wait_for(predicate, timeout)

    def wait_state(self, state, timeout=WAIT_S):
        return self.wait(lambda e: e.state == state, timeout)

    def codes_shown(self):
        return [l for l in self.emulator.lines if "devflow: pairing_code" in l]

    def pairing_fields(self, count=1, timeout=WAIT_S):
        """Waits for the count-th pairing code the board printed; its fields."""
        from host_tools.logparse import parse_line
        assert self.wait(lambda e: len(self.codes_shown()) >= count, timeout), \
            "the board printed no pairing code"
        return parse_line(self.codes_shown()[count - 1])[1]

    def finish(self, timeout=WAIT_S):
        self.thread.join(timeout)
        return self.result.get("code")

    def stop(self):
        self.emulator.stop()
        self.thread.join(WAIT_S)


def boot_boards(tmp_path, screenshots=False):
    """The body of a `boot_board` fixture: yields boot(), stops every board."""
    boards = []

    def boot(config_path, board="esp32-ssd1306", until="paired", timeout=60, clock=None,
             faults=None, flash=None):
        from host_tools.emulator.runner import Emulator
        emulator = Emulator(board, config_path, flash or tmp_path / ("flash-" + board),
                            screenshot=str(tmp_path / (board + ".png")) if screenshots else None,
                            out=lambda line: None, clock=clock, faults=faults)
        running = RunningBoard(emulator, until, timeout)
        boards.append(running)
        return running

    yield boot
    for running in boards:
        running.stop()


def read_qr(image):
    """Every QR text zxing-cpp finds in a PIL image."""
    import zxingcpp
    return [r.text for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def panel_qr(emulator):
    """The QR text on the panel (read at the board's PNG scale), or None."""
    image = emulator.image
    if image is None:
        return None
    scale = emulator.spec.png_scale
    texts = read_qr(image.resize((image.width * scale, image.height * scale)))
    return texts[0] if texts else None
