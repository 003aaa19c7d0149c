"""Everything under `.git/ldifctl/`: answers kept between runs, so that `plan` parses the
files a change touches and not 100k, and a repeated `validate` parses nothing.

A cached answer is the answer a fresh run gives, or none:

- a state is named by content alone (head_tree.py): the base revision's tree id stands
  for every file git reports unchanged, and each changed file is hashed as it is;
- an answer is keyed by everything it depends on (keys.py): ldifctl's own code and the
  versions of its dependencies (dependencies.py), the ldifctl.yaml that judges, the
  policies, and that content;
- every file is sealed with an HMAC under a key that never lives in the repo (files.py),
  and its shape is checked before use (shapes.py): a file tampered with, truncated or
  written under another key is ignored and rebuilt, never trusted.

What the rest of ldifctl asks: `states.head_state` / `load_state` / `load_snapshot` (the
entries of a state; their rows, and a cold load's two processes: entry_rows.py),
`keys.state_key` and `findings.cached_findings` / `store_findings` (the findings of a
judged state), `judged.read_prior` / `write_prior` (the last state judged, its findings
and address index, which the next state is judged against: policy/incremental.py),
`renders.repo_renders` (drift's renderings), `untracked.start_changed_paths` (which files
of the working tree differ from a revision: git's untracked files kept while no folder
has changed), `routing.cached_routing` / `store_routing` (the routing impact of a change
planned before). files.py and shapes.py are this package's own (an import contract keeps
them so).

May import model/, repo/ and sources/; imported by policy/, validation.py and live/.
"""
