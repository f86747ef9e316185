"""English for a Finnish service: 24.11.2026 and 9:05 (24-hour), not the United States' 11/24/2026 and
9:05 a.m."""

DATE_FORMAT = "j F Y"  # 24 November 2026
TIME_FORMAT = "G:i"
DATETIME_FORMAT = "j F Y, G:i"
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = "j.n.Y G:i"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y"]  # and ISO, which Django always reads
