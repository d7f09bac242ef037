# One shape for dates and times on every page, message, email and CSV header in English:
# "Jan. 4, 2027" and "4:30 p.m." (Django's own long shapes). The short names give the same
# shape, so no template can show "01/04/2027" beside "Jan. 4, 2027". Money is "$1,234.50"
# everywhere (toolkit_portal's `money` filter). Dates typed into forms come from the
# browser's date picker, always ISO ("2027-01-04"), which the first input format accepts.
DATE_FORMAT = "N j, Y"
SHORT_DATE_FORMAT = DATE_FORMAT
TIME_FORMAT = "P"
DATETIME_FORMAT = "N j, Y, P"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
