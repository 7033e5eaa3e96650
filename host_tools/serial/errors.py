"""The one error the serial tools raise: the CLI prints it as `prog: message`."""


class ToolError(Exception):
    """Something the user can act on; the message says what and how."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status
