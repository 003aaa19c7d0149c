"""One entry file: YAML text -> Entry (read.py, checked by build.py; a canonical file in
one pass by canonical.py) and Entry -> its canonical text (render.py), keeping the
user's comments (comments.py)."""
