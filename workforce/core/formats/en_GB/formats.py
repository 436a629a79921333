"""Django's date formats for British English, as GOV.UK writes dates: 1 July 2023, 2:05pm."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:ia"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, g:ia"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "g:ia"
