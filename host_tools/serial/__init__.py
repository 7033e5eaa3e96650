"""Host tools that talk to a board over serial: deploy, provision, monitor,
status, reset, flash, and a virtual board made of the MicroPython unix port.

The REPL work (copying files, running code) is done by the pinned `mpremote`
command; pyserial is used only for finding ports, the log stream and the
reset lines. Every failure becomes one `ToolError`, printed once by the CLI.
"""
