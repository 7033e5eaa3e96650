# A panel scanned straight out of RAM: an RGB parallel LCD or a TV output
# whose peripheral reads the frame buffer by DMA. Drawing is framebuf's;
# show() only counts frames (the hardware is always scanning the buffer).

import framebuf


class FramePanel(framebuf.FrameBuffer):
    def __init__(self, width, height):
        self.width = width
        self.height = height
        self.buffer = bytearray(width * height * 2)
        super().__init__(self.buffer, width, height, framebuf.RGB565)
        self.frames = 0

    def show(self):
        self.frames += 1
