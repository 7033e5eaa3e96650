"""The virtual board's supervisor: the MicroPython unix port with a board's manners.

Theory of operation. The interpreter runs on an inner pseudo-terminal, as
the session leader with that terminal as its controlling tty, so a Ctrl-C
it receives while running code becomes SIGINT (KeyboardInterrupt), and a
Ctrl-C at the prompt is just a character for its REPL: exactly a board's
behaviour. The host side is an outer pseudo-terminal (what `mpremote
connect /dev/pts/N` opens) and one TCP client (`socket://127.0.0.1:PORT`).
One thread shuttles bytes between them with select().

Where the unix port differs from a board, the supervisor steps in:
  - the port exits where a board soft-reboots (Ctrl-D, machine.soft_reset):
    the supervisor prints "MPY: soft reboot", starts a new interpreter and,
    if the host was in the raw REPL, puts the new one back in it without
    running main.py, as a board does;
  - machine.reset() (see vboot.py) ends the process with HARD_RESET_EXIT:
    a fresh start in the friendly REPL, boot.py and main.py run;
  - the port prints "\\n" from Python code where a board's UART driver
    sends "\\r\\n": lone line feeds are expanded.
Output nobody reads is dropped when the pty buffer is full, like a UART.

With a peripherals folder the board also gets the Pin and I2C of
vboard_lib/machine.py and writes its I2C traffic to
<peripherals>/i2c.bin; each interpreter start empties that file, as a
power-up empties a panel's RAM.

With a ROMFS image (off by default) the boot shim mounts it at /rom at
every start, as a board mounts its romfs partition (see
vboard_lib/vboard_setup.py).
"""

import errno
import fcntl
import os
import pty
import select
import socket
import subprocess
import termios
import threading
import tty

from .tools import find_program

HARD_RESET_EXIT = 99  # the exit code of vboard_lib/machine.py's reset()
_HERE = os.path.dirname(os.path.abspath(__file__))
_BOOT_SHIM = os.path.join(_HERE, "vboot.py")
I2C_STREAM = "i2c.bin"  # in the peripherals folder; see vboard_lib/vboard_setup.py
_RAW_BANNER = b"raw REPL; CTRL-B to exit"
_FRIENDLY_BANNER = b'Type "help()" for more information.'
_PROMPT = b">>> "
_READ_SIZE = 4096


def _set_nonblocking(fd):
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)


def _board_tty(fd):
    # Raw (no echo, no line editing, no output translation) but with ISIG,
    # so Ctrl-C interrupts running code through the tty, as on a board.
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[3] |= termios.ISIG
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def _install_peripherals(folder):
    # Only the folder: vboot.py loads vboard_lib/ from here, and the board
    # appends its I2C traffic to I2C_STREAM in the folder.
    os.makedirs(folder, exist_ok=True)


def shim_env(flash_dir, extra_path=(), raw=False, peripherals=None, romfs=None, romfs_pad=0):
    """The environment the boot shim (vboot.py, vboard_setup.py) reads:
    this process's, without MICROPYPATH, with the DEVFLOW_VB_* settings."""
    env = dict(os.environ)
    env.pop("MICROPYPATH", None)
    env.update(
        DEVFLOW_VB_FLASH=os.path.abspath(flash_dir),
        DEVFLOW_VB_EXTRA=":".join(os.path.abspath(p) for p in extra_path),
        DEVFLOW_VB_BOOT="raw" if raw else "normal",
    )
    if peripherals:
        env["DEVFLOW_VB_PERIPH"] = os.path.abspath(peripherals)
    if romfs:
        env["DEVFLOW_VB_ROMFS"] = os.path.abspath(romfs)
        env["DEVFLOW_VB_ROMFS_PAD"] = str(romfs_pad)
    return env


def _become_tty_leader():
    # Runs in the child between fork and exec: a new session whose
    # controlling terminal is stdin (the inner pty).
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Supervisor:
    def __init__(self, flash_dir, heapsize=None, extra_path=None, host="127.0.0.1", tcp_port=0,
                 peripherals=None, romfs=None, romfs_pad=0):
        self.flash_dir = os.path.abspath(flash_dir)
        self.romfs = os.path.abspath(romfs) if romfs else None
        self.romfs_pad = romfs_pad
        self.peripherals = os.path.abspath(peripherals) if peripherals else None
        self.heapsize = heapsize
        self.extra_path = [os.path.abspath(p) for p in (extra_path or [])]
        self._host = host
        self._tcp_port = tcp_port
        self.output = bytearray()
        self.changed = threading.Condition()
        self.boots = 0
        self._child = None
        self._child_fd = None
        self._raw_mode = False
        self._hiding_banner = False
        self._hidden = bytearray()
        self._pending_input = bytearray()
        self._last_out = b""
        self._tail = b""
        self._client = None
        self._stopping = False
        self._thread = None

    # ---- lifecycle (called from the owner's thread) ----

    def start(self):
        self._pty_master, self._pty_slave = pty.openpty()
        tty.setraw(self._pty_slave)
        _set_nonblocking(self._pty_master)
        self.pty_path = os.ttyname(self._pty_slave)
        self._listener = socket.create_server((self._host, self._tcp_port))
        self.socket_url = "socket://%s:%d" % self._listener.getsockname()[:2]
        self._wake_r, self._wake_w = os.pipe()
        self._requests = []
        if self.peripherals:
            _install_peripherals(self.peripherals)
        self._spawn(raw=False)
        self._thread = threading.Thread(target=self._loop, name="virtual-board", daemon=True)
        self._thread.start()

    def request(self, what):
        """Ask the loop for "reset" (hard) or "stop"; returns at once."""
        self._requests.append(what)
        os.write(self._wake_w, b"!")

    def stop(self, timeout=5.0):
        if self._thread is None:
            return
        self.request("stop")
        self._thread.join(timeout)
        self._thread = None
        self._kill_child()
        for fd in (self._pty_master, self._pty_slave, self._wake_r, self._wake_w):
            os.close(fd)
        self._listener.close()
        if self._client is not None:
            self._client.close()

    # ---- the interpreter ----

    def _spawn(self, raw):
        master, slave = pty.openpty()
        _board_tty(slave)
        cmd = [find_program("micropython")]
        if self.heapsize:
            cmd += ["-X", "heapsize=%s" % self.heapsize]
        cmd += ["-i", _BOOT_SHIM]
        env = shim_env(self.flash_dir, self.extra_path, raw, self.peripherals, self.romfs, self.romfs_pad)
        if self.peripherals:
            open(os.path.join(self.peripherals, I2C_STREAM), "wb").close()
        self._child = subprocess.Popen(
            cmd, stdin=slave, stdout=slave, stderr=slave, cwd=self.flash_dir, env=env,
            preexec_fn=_become_tty_leader, close_fds=True,
        )
        os.close(slave)
        _set_nonblocking(master)
        self._child_fd = master
        self._raw_mode = raw
        self._hiding_banner = raw
        self._hidden = bytearray()
        self.boots += 1
        self._flush_input()

    def _kill_child(self):
        if self._child is not None:
            if self._child.poll() is None:
                self._child.kill()
            self._child.wait()
            self._child = None
        if self._child_fd is not None:
            os.close(self._child_fd)
            self._child_fd = None

    def _child_exited(self):
        code = self._child.wait()
        self._child = None
        os.close(self._child_fd)
        self._child_fd = None
        if "reset" in self._requests or code == HARD_RESET_EXIT:
            self._requests[:] = [r for r in self._requests if r != "reset"]
            self._to_host(b"\r\n")
            self._spawn(raw=False)
        else:
            self._to_host(b"MPY: soft reboot\r\n")
            self._spawn(raw=self._raw_mode)

    # ---- byte shuttling ----

    def _loop(self):
        while True:
            if "stop" in self._requests:
                return
            if "reset" in self._requests and self._child is not None and self._child.poll() is None:
                self._child.kill()  # its pty then reads EOF: _child_exited restarts it
            fds = [self._pty_master, self._listener, self._wake_r]
            if self._client is not None:
                fds.append(self._client)
            if self._child_fd is not None:
                fds.append(self._child_fd)
            writers = [self._child_fd] if self._pending_input and self._child_fd is not None else []
            ready, writable, _ = select.select(fds, writers, [], 1.0)
            if writable:
                self._flush_input()
            if self._wake_r in ready:
                os.read(self._wake_r, 64)
            if self._child_fd is not None and self._child_fd in ready:
                self._from_child()
            if self._pty_master in ready:
                self._from_host(self._read_pty())
            if self._listener in ready:
                self._accept()
            if self._client is not None and self._client in ready:
                self._from_host(self._read_client())

    def _from_child(self):
        try:
            data = os.read(self._child_fd, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            data = b""
        if not data:
            self._child_exited()
            return
        if self._hiding_banner:
            data = self._pass_boot_output(data)
        self._watch_mode(data)
        self._to_host(self._crlf(data))

    def _pass_boot_output(self, data):
        # After a soft reboot in raw mode: let boot.py's output through, hide
        # the friendly banner and prompt, then enter the raw REPL for the host.
        self._hidden += data
        at = self._hidden.find(_PROMPT)
        if at < 0:
            return b""
        banner = self._hidden.find(b"MicroPython ")
        shown = bytes(self._hidden[: banner if 0 <= banner < at else at])
        self._hiding_banner = False
        self._hidden = bytearray()
        self._pending_input[:0] = b"\x01"
        self._flush_input()
        return shown

    def _watch_mode(self, data):
        seen = self._tail + data
        raw_at, friendly_at = seen.rfind(_RAW_BANNER), seen.rfind(_FRIENDLY_BANNER)
        if raw_at > friendly_at:
            self._raw_mode = True
        elif friendly_at > raw_at:
            self._raw_mode = False
        self._tail = seen[-64:]

    def _crlf(self, data):
        out = bytearray()
        prev = self._last_out
        for i in range(len(data)):
            byte = data[i : i + 1]
            if byte == b"\n" and prev != b"\r":
                out += b"\r"
            out += byte
            prev = byte
        if data:
            self._last_out = data[-1:]
        return bytes(out)

    def _to_host(self, data):
        with self.changed:
            self.output += data
            self.changed.notify_all()
        try:
            os.write(self._pty_master, data)
        except BlockingIOError:
            pass  # nobody reads the port: a UART drops it too
        except OSError as e:
            if e.errno != errno.EIO:
                raise
        if self._client is not None:
            try:
                self._client.sendall(data)
            except OSError:
                self._drop_client()

    def _from_host(self, data):
        self._pending_input += data
        self._flush_input()

    def _flush_input(self):
        # Never block: a child busy running code may not read for a while,
        # and it must still be able to print (we drain it meanwhile).
        if self._child_fd is None or self._hiding_banner or not self._pending_input:
            return
        try:
            n = os.write(self._child_fd, self._pending_input)
        except BlockingIOError:
            return
        except OSError:
            return  # the child is gone; _from_child restarts it
        del self._pending_input[:n]

    def _read_pty(self):
        try:
            return os.read(self._pty_master, _READ_SIZE)
        except (BlockingIOError, OSError):
            return b""

    def _accept(self):
        conn, _ = self._listener.accept()
        self._drop_client()  # one client at a time, the newest wins
        conn.setblocking(True)
        conn.settimeout(2.0)
        self._client = conn

    def _read_client(self):
        try:
            data = self._client.recv(_READ_SIZE)
        except OSError:
            data = b""
        if not data:
            self._drop_client()
        return data

    def _drop_client(self):
        if self._client is not None:
            self._client.close()
            self._client = None
