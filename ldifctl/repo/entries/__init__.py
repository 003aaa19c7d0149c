"""One entry file: YAML text <-> Entry, keeping the user's comments."""
