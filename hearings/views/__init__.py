"""Hearings' pages, one module per part: the public campaign pages and the online form (public.py),
the staff's topics, campaigns and offline input (staff.py), the analysis (analysis.py), the outcome
and client panels (outcome.py, panels.py)."""
