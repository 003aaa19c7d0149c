"""The command line: Typer commands that parse options, call one function, and print.

Only this package prints. It may import every other package; nothing imports it.
"""
