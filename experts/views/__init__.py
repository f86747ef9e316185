"""Views of the expert bank: `profile` (the expert's own profile) and `search` (coordinators, directory)."""
