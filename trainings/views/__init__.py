"""Trainings' pages, one module per part: the trainer's front page and cohorts with their sessions
and attendance (cohorts.py, attendance.py), programmes and materials (programmes.py), the staff
toolkit (guides.py), costs and completion (completion.py), onboarding of new experts (onboarding.py)."""
