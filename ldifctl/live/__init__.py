"""The running systems: `apply` (preconditions, safety, pipelined writes, report, undo,
signals), `drift`, and the Postfix table files that point Postfix at the server.
"""
