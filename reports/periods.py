"""The period a report covers, and the one before it.

A period is given in the address: `?period=2026` (a year), `2026-H1` (a half-year),
`2026-Q3` (a quarter), or `?start=2026-02-01&end=2026-04-30` (chosen dates, both included).
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _

PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>[HQ])(?P<number>\d))?$")
# Chosen dates may cover at most this many days (a figure over decades helps no funder and
# costs the database a scan of everything).
MAX_DAYS = 366 * 5


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    kind: str  # "year", "half", "quarter" or "custom"
    code: str  # what `?period=` says, or "" for chosen dates

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def label(self):
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "half":
            return _("%(half)s half of %(year)s") % {
                "half": _("First") if self.start.month == 1 else _("Second"),
                "year": self.start.year,
            }
        if self.kind == "quarter":
            return _("Quarter %(number)s of %(year)s") % {
                "number": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "DATE_FORMAT"),
            "end": date_format(self.end, "DATE_FORMAT"),
        }

    def previous(self):
        """The period of the same kind just before (chosen dates: as many days before)."""
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "half":
            return half(self.start.year, 2) if self.start.month == 1 else half(self.start.year, 1)
        if self.kind == "quarter":
            number = (self.start.month - 1) // 3 + 1
            if number == 1:
                return quarter(self.start.year - 1, 4)
            return quarter(self.start.year, number - 1)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, "custom", "")

    def query(self):
        """The address's query string for this period."""
        if self.code:
            return f"period={self.code}"
        return f"start={self.start.isoformat()}&end={self.end.isoformat()}"

    def slug(self):
        return self.code or f"{self.start.isoformat()}_{self.end.isoformat()}"


def _month_end(year_, month):
    following = date(year_ + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def year(number):
    return Period(date(number, 1, 1), date(number, 12, 31), "year", str(number))


def half(number, which):
    first = 1 if which == 1 else 7
    return Period(
        date(number, first, 1), _month_end(number, first + 5), "half", f"{number}-H{which}"
    )


def quarter(number, which):
    first = 3 * (which - 1) + 1
    return Period(
        date(number, first, 1), _month_end(number, first + 2), "quarter", f"{number}-Q{which}"
    )


def parse(query, *, today=None):
    """The period a query (a QueryDict or dict) asks for; this year when it asks for none.
    Raises PeriodError with a message a person can read."""
    today = today or timezone.localdate()
    code = (query.get("period") or "").strip()
    start, end = query.get("start"), query.get("end")
    if not code and (start or end):
        try:
            first, last = parse_date(start or ""), parse_date(end or "")
        except ValueError:
            first = last = None
        if not first or not last:
            raise PeriodError(_("Give both dates as YYYY-MM-DD."))
        if last < first:
            raise PeriodError(_("The end date comes before the start date."))
        if (last - first).days + 1 > MAX_DAYS:
            raise PeriodError(_("Choose at most five years."))
        return Period(first, last, "custom", "")
    if not code:
        return year(today.year)
    match = PERIOD.match(code)
    if not match:
        raise PeriodError(_("Write the period as 2026, 2026-H1 or 2026-Q3."))
    number = int(match["year"])
    if not 2000 <= number <= 2100:
        raise PeriodError(_("Choose a year from 2000 to 2100."))
    if match["part"] == "H" and match["number"] in ("1", "2"):
        return half(number, int(match["number"]))
    if match["part"] == "Q" and match["number"] in ("1", "2", "3", "4"):
        return quarter(number, int(match["number"]))
    if match["part"] is None:
        return year(number)
    raise PeriodError(_("Write the period as 2026, 2026-H1 or 2026-Q3."))


def choices(*, today=None):
    """[(code, label)] for the period picker: this year and the two before, their halves and
    quarters, newest first."""
    today = today or timezone.localdate()
    periods = []
    for number in range(today.year, today.year - 3, -1):
        periods.append(year(number))
        periods += [half(number, 2), half(number, 1)]
        periods += [quarter(number, q) for q in (4, 3, 2, 1)]
    return [(period.code, period.label()) for period in periods if period.start <= today]
