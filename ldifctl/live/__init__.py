"""The running systems: `apply` (apply.py: the plan against the server read fresh; its
preconditions, safety thresholds, pipelined writes, report and undo, and what a signal
does), `drift` (the server against the repo, both ways; drift_branch.py: the server's
state committed on a branch of its own), and the Postfix table files that point Postfix
at the server (postfix_maps.py) and their check against a deployed Postfix
(postfix_check.py).

May import every package but cli/: it is the last step before the command line.
"""
