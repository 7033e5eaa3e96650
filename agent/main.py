# Board entry point: MicroPython runs this file at boot.
#
# The flash holds board.py (the wiring of this board, copied from boards/),
# devflow.json (the settings) and the agent. Nothing here may crash the
# board into a boot loop: a bad config is shown on the screen and the board
# waits for a fix.

import board
from app import forget, http_client, make_app, show_config_error
from devflow.adapters.clock import Clock


def main():
    clock = Clock()
    hw = board.make_board()
    # Wi-Fi and NTP run once, at boot: imported here and dropped after.
    from devflow.adapters.wifi import connect_from_config
    connect_from_config(hw, "devflow.json", clock)
    del connect_from_config
    forget("devflow.adapters.wifi", "devflow.core.sntp")
    app, problem = make_app(hw, http_client, clock)
    if app is None:
        show_config_error(hw, problem, clock)
        return
    app.run()


main()
