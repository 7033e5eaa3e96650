"""The virtual board's SSD1306, seen from the host.

The board's virtual I2C (vboard_lib/machine.py) appends every
transfer to <peripherals>/i2c.bin as a record: address (1 byte), length
(3 bytes, big endian), the bytes. PanelReader replays new records into the
emulator's SSD1306 chip model, which decodes commands and GDDRAM writes as
the real controller would, and gives what the glass shows as a PanelImage
(-> PNG with host_tools.emulator.screen). It reads incrementally, so asking
often costs only the new bytes; a shorter file means the board restarted
(the supervisor empties it), and the chip is reset like a power cycle.
"""

import os

from host_tools.emulator.screen import save_png
from host_tools.emulator.ssd1306_chip import SSD1306Chip

_HEAD = 4


class PanelReader:
    def __init__(self, stream_path, width=128, height=64, addr=0x3C):
        self.path = stream_path
        self.width, self.height, self.addr = width, height, addr
        self.transfers = 0
        self._restart()

    def _restart(self):
        self.chip = SSD1306Chip(self.width, self.height)
        self._offset = 0
        self._partial = b""

    def update(self):
        """Read what the board wrote since the last call; True if anything."""
        try:
            size = os.path.getsize(self.path)
        except OSError:
            return False
        if size < self._offset:
            self._restart()
        if size == self._offset:
            return False
        with open(self.path, "rb") as f:
            f.seek(self._offset)
            data = self._partial + f.read(size - self._offset)
        self._offset = size
        self._partial = self._feed(data)
        return True

    def _feed(self, data):
        # Returns the tail of an unfinished record (the board may be mid-write).
        i = 0
        while len(data) - i >= _HEAD:
            n = (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3]
            if len(data) - i - _HEAD < n:
                break
            if data[i] == self.addr:
                self.chip.i2c_write(data[i + _HEAD:i + _HEAD + n])
                self.transfers += 1
            i += _HEAD + n
        return data[i:]

    def image(self):
        self.update()
        return self.chip.panel_pixels()

    def save_png(self, path, scale=4):
        image = self.image()
        save_png(path, image, scale)
        return image
