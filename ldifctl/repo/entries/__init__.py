"""One entry file: YAML text -> Entry (read.py, checked by build.py) and Entry -> its
canonical text (render.py), keeping the user's comments (comments.py)."""
