"""Buttons through Pin IRQs, the watchdog, the emulated Wi-Fi station, and
faults on cue (Wi-Fi drop and recovery, DNS failure, ticks wrap-around,
power cut during a flash write), on a virtual clock so they run fast."""

import importlib
import json

import pytest

from host_tools.authserver.user_agent import complete_device_flow
from host_tools.emulator import network, vclock
from host_tools.emulator.boards import BOARDS
from host_tools.emulator.faults import Faults, FaultError, PowerCut
from host_tools.emulator.vclock import VirtualClock

from conftest import WAIT_S, device_config


@pytest.mark.parametrize("name", ["esp32-ssd1306", "pico-w-ssd1306", "ttgo-tdisplay",
                                  "m5stack-core", "headless", "tv"])
def test_every_button_fires_its_pin_irq(emu_machine, name):
    spec = BOARDS[name]
    spec.power_on()
    board = importlib.import_module(spec.module).make_board()
    for label, pin in spec.buttons.items():
        seen = []
        emu_machine.Pin(pin).irq(lambda p: seen.append(p.value()),
                                 emu_machine.Pin.IRQ_FALLING | emu_machine.Pin.IRQ_RISING)
        assert emu_machine.pin_level(pin) == 1, label + " reads pressed while released"
        emu_machine.drive_pin(pin, 0)
        spec.release_button(pin)
        assert seen == [0, 1], label
    assert board.button.value() != board.button_active


def test_watchdog_resets_a_board_that_stops_feeding_it(emu_machine):
    clock = vclock.use(VirtualClock())
    emu_machine.set_clock(clock.ms)
    try:
        wdt = emu_machine.WDT(timeout=2000)
        for _ in range(5):
            clock.advance(1500)
            wdt.feed()
            assert not emu_machine.check_watchdog()
        clock.advance(2500)        # the loop hangs: no feed
        assert emu_machine.check_watchdog()
        assert emu_machine.reset_cause() == emu_machine.WDT_RESET
    finally:
        vclock.use(None)


def test_wifi_station_connects_fails_drops_and_rejoins():
    clock = vclock.use(VirtualClock())
    network.reset()
    try:
        network.configure(aps={"lab": "secret"}, connect_ms=1500)
        sta = network.WLAN(network.STA_IF)
        assert sta is network.WLAN(network.STA_IF)
        sta.active(True)
        sta.connect("lab", "wrong")
        clock.advance(1600)
        assert sta.status() == network.STAT_WRONG_PASSWORD and not sta.isconnected()
        sta.connect("lab", "secret")
        assert sta.status() == network.STAT_CONNECTING
        clock.advance(1600)
        assert sta.isconnected() and sta.ifconfig()[0] == "192.168.4.2"
        network.drop(for_ms=5000)
        assert not sta.isconnected() and not network.link_up()
        clock.advance(5000 + 1600)
        assert sta.isconnected()
    finally:
        network.reset()
        vclock.use(None)


def test_fault_specs_are_checked():
    assert [f.name for f in Faults.parse(["wifi-drop@10s+5s", "latency=300ms"]).faults] == \
        ["wifi-drop", "latency"]
    with pytest.raises(FaultError):
        Faults.parse(["wifi-melt@3s"])


def _config_with_wifi(server, tmp_path):
    path = device_config(server, tmp_path)
    config = json.loads(path.read_text())
    config["wifi"] = {"ssid": "lab", "password": "secret"}
    path.write_text(json.dumps(config))
    return path


def _approve(running, server):
    fields = running.pairing_fields()
    assert complete_device_flow(fields["verification_uri"], fields["user_code"]) == "approved"


def test_wifi_drop_and_recovery_during_pairing(make_server, boot_board, tmp_path):
    clock = VirtualClock(speed=20)
    server = make_server(clock=clock.wall_s)
    running = boot_board(_config_with_wifi(server, tmp_path), "ttgo-tdisplay", clock=clock,
                         faults=Faults.parse(["wifi-drop@4s+8s"]))
    assert running.wait(lambda e: any("network_error" in l for l in e.lines)), running.emulator.lines[-5:]
    lines = running.emulator.lines
    assert any("wifi" in l and "state=up" in l for l in lines)
    assert any("emulator: fault wifi-drop@4s+8s" in l for l in lines)
    # Back on the air, the board polls again; the person approves.
    assert running.wait(lambda e: e.lines[-1].startswith("devflow: poll") and "pending" in e.lines[-1]
                        and any("network_error" in l for l in e.lines))
    _approve(running, server)
    assert running.finish() == 0


def test_dns_failure_then_pairing(make_server, boot_board, tmp_path):
    clock = VirtualClock(speed=20)
    server = make_server(clock=clock.wall_s)
    running = boot_board(device_config(server, tmp_path), "headless", clock=clock,
                         faults=Faults.parse(["dns-fail+5s", "latency=200ms"]))
    assert running.wait(lambda e: any("kind=dns" in l for l in e.lines)), running.emulator.lines[-5:]
    assert running.wait_state("polling")
    _approve(running, server)
    assert running.finish() == 0


def test_pairing_across_the_ticks_wrap(make_server, boot_board, tmp_path):
    clock = VirtualClock(speed=20)
    server = make_server(clock=clock.wall_s)
    running = boot_board(device_config(server, tmp_path), "pico-w-ssd1306", clock=clock,
                         faults=Faults.parse(["ticks-wrap=2s"]))
    assert running.wait_state("polling")
    assert clock.ticks_ms() > vclock.PERIOD - 3000
    assert running.wait(lambda e: clock.ticks_ms() < 5000, WAIT_S)   # wrapped
    _approve(running, server)
    assert running.finish() == 0


def test_power_cut_while_saving_tokens_leaves_a_consistent_flash(make_server, boot_board, tmp_path):
    clock = VirtualClock(speed=20)
    server = make_server(clock=clock.wall_s)
    config = device_config(server, tmp_path)
    flash = tmp_path / "flash"
    first = boot_board(config, "esp32-ssd1306", clock=clock, flash=flash,
                       faults=Faults.parse(["power-cut@write1"]))
    assert first.wait_state("polling")
    _approve(first, server)
    first.thread.join(WAIT_S)
    assert isinstance(first.result.get("error"), PowerCut)
    # Power back: the half-written temp file is not taken for tokens; the
    # board asks for a new pairing instead of sending garbage.
    second = boot_board(config, "esp32-ssd1306", clock=VirtualClock(speed=20), flash=flash,
                        until="code")
    assert second.finish() == 0
    assert not any("tokens_saved" in l for l in second.emulator.lines)
