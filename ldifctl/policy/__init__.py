"""Judging a state: the structure and schema checks every entry meets (structure.py,
allowed_attributes.py: what its object classes allow, and attribute_types.py: types no
server knows, `;binary` where slapd refuses it), the policy files and their
parameters (files.py, params.py), the rules (routing_rules.py, entry_rules.py,
address_rule.py with fold_rule.py; each a short function for its README row; the pattern
rules within pattern_budget.py's bound), and the engine that runs them into one sorted
list of findings (engine.py). A state that differs
from the last one judged by a few files is judged by what changed (incremental.py, and
touched.py: the entries an edit touches and the small state they are judged on). What a
change does to mail (change_routing.py, and nearby_impact.py from the address index) is
asked of the same states.

The rules judge a snapshot in memory: they ask mail/ and its bulk view (mail/columns/),
never a file or the cache. Where the rules meet `validate` and `plan` (check.py) and
which policy files apply (sources.py), incremental.py and touched.py may also use repo/
and cache/.
"""
