# Profile forms: see experts/forms_profile.py (the expert's own profile); search filters: experts/filters.py.
