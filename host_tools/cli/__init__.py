"""The command table of `python -m host_tools` (also the `devflow` script).

One row a command: (add_arguments, run, help). Each run(args) returns the
exit status; a ToolError or a bad input anywhere below is printed once, as
`devflow: message`, by main().
"""
