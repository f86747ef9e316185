"""Finland-Swedish: 24.11.2026 and kl. 9.05, as in Finnish. Django's `sv` is Sweden's (2026-11-24,
09:05), which Finland-Swedish keeps for data exchange only."""

DATE_FORMAT = "j F Y"  # 24 november 2026
TIME_FORMAT = "G.i"  # 9.05
DATETIME_FORMAT = r"j F Y \k\l. G.i"
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y G.i"
# What a person types (Django reads ISO dates too, which the date pickers send).
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y"]
TIME_INPUT_FORMATS = ["%H.%M", "%H:%M", "%H.%M.%S", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M.%S"]
