"""The emulated machine module: pins, buses, watchdog, clocks."""

import errno

import pytest

import emu_support  # noqa: F401  (puts repo and agent/ on sys.path)


def test_button_press_fires_falling_irq_and_release_rising(emu_machine):
    Pin = emu_machine.Pin
    button = Pin(0, Pin.IN, Pin.PULL_UP)
    seen = []
    button.irq(lambda p: seen.append((p, p.value())), trigger=Pin.IRQ_FALLING)
    assert button.value() == 1                      # pull-up, not pressed
    emu_machine.drive_pin(0, 0)                     # press: pulls GPIO0 low
    assert seen == [(button, 0)]
    emu_machine.drive_pin(0, 0)                     # no edge, no second call
    emu_machine.release_pin(0)                      # release: pull-up again
    assert len(seen) == 1 and button.value() == 1
    button.irq(lambda p: seen.append("rise"), trigger=Pin.IRQ_RISING)
    emu_machine.drive_pin(0, 0)
    emu_machine.release_pin(0)
    assert seen[-1] == "rise" and len(seen) == 2


def test_output_pins_are_visible_to_the_emulator(emu_machine):
    led = emu_machine.Pin(2, emu_machine.Pin.OUT, value=0)
    led.on()
    assert emu_machine.pin_level(2) == 1
    led.toggle()
    assert emu_machine.pin_level(2) == 0 and led() == 0


class Register:
    """A tiny I2C chip: one 8-bit register file, memaddr first."""

    def __init__(self):
        self.mem, self.ptr = bytearray(16), 0

    def i2c_write(self, data):
        self.ptr = data[0]
        for i, b in enumerate(data[1:]):
            self.mem[self.ptr + i] = b

    def i2c_read(self, n):
        return bytes(self.mem[self.ptr:self.ptr + n])


def test_i2c_routes_by_address_and_absent_address_raises(emu_machine):
    emu_machine.attach_i2c_device(0, 0x48, Register())
    i2c = emu_machine.I2C(0, scl=emu_machine.Pin(22), sda=emu_machine.Pin(21))
    assert i2c.scan() == [0x48]
    i2c.writeto_mem(0x48, 2, b"\x12\x34")
    assert i2c.readfrom_mem(0x48, 2, 2) == b"\x12\x34"
    with pytest.raises(OSError) as err:
        i2c.writeto(0x3C, b"\x00")
    assert err.value.errno == errno.ENODEV
    with pytest.raises(OSError):
        i2c.readfrom(0x3C, 1)
    with pytest.raises(OSError):                    # other bus: nothing there
        emu_machine.I2C(1).writeto(0x48, b"\x00")


def test_soft_i2c_has_its_own_bus(emu_machine):
    key = emu_machine.soft_i2c_key(5, 4)
    emu_machine.attach_i2c_device(key, 0x3C, Register())
    assert emu_machine.SoftI2C(scl=emu_machine.Pin(5), sda=emu_machine.Pin(4)).scan() == [0x3C]


def test_wdt_expires_when_not_fed(emu_machine):
    now = [0]
    emu_machine.set_clock(lambda: now[0])
    wdt = emu_machine.WDT(timeout=2000)
    now[0] = 1500
    wdt.feed()
    now[0] = 3400
    assert not emu_machine.check_watchdog()
    now[0] = 3600
    assert emu_machine.check_watchdog()
    assert emu_machine.reset_cause() == emu_machine.WDT_RESET


def test_rtc_advances_with_the_injected_clock(emu_machine):
    now = [0]
    emu_machine.set_clock(lambda: now[0])
    rtc = emu_machine.RTC()
    rtc.datetime((2025, 3, 1, 5, 23, 59, 58, 0))
    now[0] = 3000
    assert rtc.datetime()[:7] == (2025, 3, 2, 6, 0, 0, 1)


def test_sleep_hooks_and_deepsleep_reset(emu_machine):
    slept = []
    emu_machine.set_sleep_hooks(lightsleep=slept.append)
    emu_machine.lightsleep(250)
    assert slept == [250]
    with pytest.raises(emu_machine.DeepSleepReset):
        emu_machine.deepsleep(1000)
    assert emu_machine.reset_cause() == emu_machine.DEEPSLEEP_RESET


def test_micropython_module_is_installed(emu_machine):
    import micropython
    from micropython import const

    assert const(7) == 7
    assert micropython.native(len) is len
    micropython.alloc_emergency_exception_buf(100)
