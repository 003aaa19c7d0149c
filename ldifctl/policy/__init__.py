"""Judging a state: the structure and schema checks, policy files and their parameters,
the rules, and the engine that runs them into one sorted list of findings.
"""
