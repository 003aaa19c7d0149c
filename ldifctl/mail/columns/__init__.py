"""The policies' bulk view of a state: read column by column, it answers what the rules ask
of 100k entries in a few C loops (map, compress, set operations over whole lists)
instead of 100k lookups. All the speed work of the policy pass lives here.

What the rules may ask, and nothing else:

- `AddressMap(router)` (address_map.py): every address the tables answer. Per group of
  tables a `ClaimSet`: parallel lists of keys, the entries that claim them, the
  attributes that hold them and the targets they give, with the queries the rules
  need (`claims`, `held_by`, `forwarding_to`, `users_elsewhere`, `in_domains`); and
  `expansion`, `is_mailbox`, `is_hosted` for one address;
- `forward_graph(amap)` and its cycles (forward_graph.py);
- `LoadedState(router)` (impact_view.py): a loaded state as the routing impact asks it
  (who routes to an address, the addresses of a domain, the keys of some entries);
  `MapIndex(amap)` (map_index.py): an address map read as the address index, for the
  routing near a change of a state in memory;
- `holding(tree, name)` and `lacking(tree, needs)` (attributes.py): the entries that
  hold an attribute, or lack one their object classes need;
- `column_text(tree, name)`, `all_plain`, `all_parts` (text.py): a column as one text,
  judged at once; `searched(table)` (claims.py): the entries a table's search reaches.

Each answer has a plain reference it must equal, and a property test that holds the two
together on random directories: `Router.find` and `Table.lookup`, key by key
(test_address_map.py); `is_plain`, value by value (test_address_syntax.py); entry by
entry (test_columns.py); `MapIndex` and `address_index`, question by question
(test_map_index.py).

Imports model/ and the rest of mail/ (the references it must agree with); nothing else
in mail/ imports it.
"""
