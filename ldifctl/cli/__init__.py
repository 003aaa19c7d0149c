"""The command line: Typer commands that parse options, call one function and print
(commands.py, live.py, mail.py, onboard.py), what they share (common.py), their output as JSON and
Markdown (report.py, markdown.py), and the program (entry.py starts the work tree's scan
before any import, main.py runs the command line).

Only this package prints. It may import every other package; nothing imports it.
"""
