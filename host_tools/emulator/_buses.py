"""Emulated I2C and SPI buses for the `machine` module.

A bus is a registry of chips. The emulator attaches a chip object, the
board's code talks to it through machine.I2C / machine.SPI exactly as on
hardware, and the chip sees whole transactions:

    I2C chip:  i2c_write(data: bytes) ; i2c_read(n) -> bytes  (both optional)
    SPI chip:  spi_write(data: bytes, dc: int or None) ; spi_read(n) -> bytes

An I2C bus key is the hardware id (I2C(0) -> 0); a SoftI2C's key is
("soft", scl_id, sda_id), see soft_i2c_key(). An absent address raises
OSError like the port does (ENODEV on ESP32; set NACK_ERRNO = errno.EIO to
play an rp2).
"""

import errno

NACK_ERRNO = errno.ENODEV

_i2c_devices = {}   # bus key -> {addr: chip}
_spi_devices = {}   # bus id -> [(chip, cs_pin_id or None, dc_pin_id or None)]


def reset():
    _i2c_devices.clear()
    _spi_devices.clear()


def attach_i2c_device(bus, addr, device):
    """Put `device` on I2C bus `bus` at 7-bit address `addr`."""
    if not 0 <= addr < 0x80:
        raise ValueError("I2C address must be 7-bit")
    _i2c_devices.setdefault(bus, {})[addr] = device
    return device


def detach_i2c_device(bus, addr):
    _i2c_devices.get(bus, {}).pop(addr, None)


def soft_i2c_key(scl, sda):
    return ("soft", _pin_id(scl), _pin_id(sda))


def attach_spi_device(bus, device, cs=None, dc=None):
    """Put `device` on SPI bus `bus`; it is selected while pin `cs` is low
    (always, if cs is None) and gets the level of pin `dc` with each write."""
    _spi_devices.setdefault(bus, []).append((device, _pin_id(cs), _pin_id(dc)))
    return device


def _pin_id(pin):
    if pin is None or isinstance(pin, (int, str)):
        return pin
    return pin.id


class I2C:
    """machine.I2C(id, scl=None, sda=None, freq=400000, timeout=50000)."""

    def __init__(self, id=0, *, scl=None, sda=None, freq=400000, timeout=50000):
        self._key = id
        self.freq = freq

    def _chip(self, addr):
        chip = _i2c_devices.get(self._key, {}).get(addr)
        if chip is None:
            # No ACK for the address byte: what the port reports.
            raise OSError(NACK_ERRNO, errno.errorcode.get(NACK_ERRNO, "I2C NACK"))
        return chip

    def scan(self):
        return sorted(_i2c_devices.get(self._key, {}))

    def writeto(self, addr, buf, stop=True):
        data = bytes(buf)
        chip = self._chip(addr)
        if hasattr(chip, "i2c_write"):
            chip.i2c_write(data)
        return len(data)

    def writevto(self, addr, vector, stop=True):
        # One transaction: the chip cannot tell it apart from writeto().
        return self.writeto(addr, b"".join(bytes(b) for b in vector), stop)

    def readfrom(self, addr, nbytes, stop=True):
        chip = self._chip(addr)
        data = chip.i2c_read(nbytes) if hasattr(chip, "i2c_read") else b"\xff" * nbytes
        return bytes(data[:nbytes]).ljust(nbytes, b"\xff")

    def readfrom_into(self, addr, buf, stop=True):
        buf[:] = self.readfrom(addr, len(buf), stop)

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self.writeto(addr, memaddr.to_bytes(addrsize // 8, "big") + bytes(buf))

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        self.writeto(addr, memaddr.to_bytes(addrsize // 8, "big"), False)
        return self.readfrom(addr, nbytes)

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        buf[:] = self.readfrom_mem(addr, memaddr, len(buf), addrsize=addrsize)


class SoftI2C(I2C):
    """machine.SoftI2C(scl, sda, freq=400000): bus key ("soft", scl, sda)."""

    def __init__(self, scl, sda, *, freq=400000, timeout=50000):
        super().__init__(soft_i2c_key(scl, sda), freq=freq)


class SPI:
    """machine.SPI(id, baudrate=..., ...): writes reach selected chips."""

    MSB, LSB = 0, 1

    def __init__(self, id=1, baudrate=1000000, *, polarity=0, phase=0, bits=8,
                 firstbit=0, sck=None, mosi=None, miso=None):
        self._bus = id
        self.baudrate = baudrate

    def init(self, baudrate=None, **kwargs):
        if baudrate is not None:
            self.baudrate = baudrate

    def deinit(self):
        pass

    def _selected(self):
        # Imported here: machine imports this module at load time.
        from host_tools.emulator.machine import pin_level
        for chip, cs, dc in _spi_devices.get(self._bus, []):
            if cs is None or pin_level(cs) == 0:
                yield chip, (None if dc is None else pin_level(dc))

    def write(self, buf):
        data = bytes(buf)
        for chip, dc in self._selected():
            chip.spi_write(data, dc)

    def read(self, nbytes, write=0x00):
        out = b"\x00" * nbytes
        for chip, _dc in self._selected():
            if hasattr(chip, "spi_read"):
                out = bytes(chip.spi_read(nbytes))
        return out

    def readinto(self, buf, write=0x00):
        buf[:] = self.read(len(buf), write)

    def write_readinto(self, write_buf, read_buf):
        self.write(write_buf)
        read_buf[:] = b"\x00" * len(read_buf)


class SoftSPI(SPI):
    def __init__(self, baudrate=500000, *, sck=None, mosi=None, miso=None, **kwargs):
        super().__init__(("soft", _pin_id(sck), _pin_id(mosi)), baudrate)
