"""Bad input, as Hypothesis strategies, and the checks every answer to it must pass.

A body starts from a valid one and spoils one or two of its fields: a value of the wrong
kind or at the edge of its kind, the field left out, or the field sent twice. Spoiling a
single field matters: a form that rejects one bad field never reaches the code that would
have choked on another.
"""

import re

from hypothesis import strategies as st

# Characters PostgreSQL, browsers, mail headers and spreadsheets handle badly.
CONTROL = "".join(chr(c) for c in [*range(0, 32), 127])
ALLOWED_CONTROL = "\t\n\r"
HOSTILE_SNIPPETS = [
    "\x00",
    "nul\x00in the middle",
    "\x1b[31mred\x1b[0m",
    "\r\nBcc: someone@example.org",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user }}{% debug %}",
    '=HYPERLINK("http://example.org")',
    "'; DROP TABLE partnerships_partnership; --",
    "\u202eevil\u202c",
    "Zoë 🙂 中文 עברית",
    "\ufeff\u200b\u200d",
    "\U0001f600" * 60,
    "../../etc/passwd",
    " ",
    "",
]
NUMBERS = [
    "-1",
    "-0",
    "0",
    "0.001",
    "-99999999999999999999",
    "99999999999999999999",
    "1e308",
    "1E+9999",
    "NaN",
    "Infinity",
    "-Infinity",
    "1,000",
    "12.345678901234567890",
    "0x10",
    "١٢",  # Arabic-Indic digits
]
DATES = [
    "0001-01-01",
    "1899-12-31",
    "1970-01-01",
    "2000-02-29",
    "2026-02-30",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "2026-13-01",
    "31/12/2026",
]
DATETIMES = [
    "0001-01-01T00:00",
    "1900-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31 23:59:59",
    "2026-03-08T02:30",  # does not exist in America/Denver
    "2026-11-01T01:30",  # happens twice in America/Denver
    "2026-12-01T25:00",
    "2026-12-01",
]

NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")

any_text = st.text(max_size=60)
control_text = st.text(alphabet=st.sampled_from(CONTROL + "ab"), min_size=1, max_size=12)
long_text = st.sampled_from([201, 1001, 5001, 100_001]).flatmap(
    lambda n: st.sampled_from(["x" * n, "é" * n, "\U0001f600" * n])
)
hostile = st.sampled_from(HOSTILE_SNIPPETS)


def spoiled(valid):
    """Bad values for a field whose valid value is `valid`: edges of its kind, then
    anything at all."""
    kind = []
    if isinstance(valid, str) and NUMBER_RE.match(valid):
        kind = [
            st.sampled_from(NUMBERS),
            st.integers(min_value=-(10**30), max_value=10**30).map(str),
            st.decimals(allow_nan=True, allow_infinity=True).map(str),
        ]
    elif isinstance(valid, str) and DATETIME_RE.match(valid):
        kind = [st.sampled_from(DATETIMES), st.datetimes().map(lambda d: d.isoformat())]
    elif isinstance(valid, str) and DATE_RE.match(valid):
        kind = [st.sampled_from(DATES), st.dates().map(str)]
    elif isinstance(valid, str):
        kind = [
            st.builds(lambda v, bad: v + bad, st.just(valid), control_text),
            st.just(valid * 50),
        ]
    return st.one_of(*kind, hostile, control_text, long_text, any_text)


def worst(valid):
    """The one value per field that most often breaks a form: NUL in text, a number no
    column holds, the last day of year 9999."""
    if isinstance(valid, str) and NUMBER_RE.match(valid):
        return "9" * 40
    if isinstance(valid, str) and DATETIME_RE.match(valid):
        return "9999-12-31T23:59"
    if isinstance(valid, str) and DATE_RE.match(valid):
        return "9999-12-31"
    if isinstance(valid, list):
        return [*valid, "\x00"]
    return f"{valid}\x00"


@st.composite
def bodies(draw, valid):
    """A valid body with one or two of its fields spoiled, left out or sent twice."""
    names = sorted(valid)
    targets = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
    body = {}
    for name in names:
        value = valid[name]
        if name not in targets:
            body[name] = value
            continue
        how = draw(st.sampled_from(["spoil", "spoil", "spoil", "leave out", "send twice"]))
        if how == "leave out":
            continue
        first = value[0] if isinstance(value, list) and value else value
        bad = draw(spoiled(first if isinstance(first, str) else ""))
        body[name] = [first, bad] if how == "send twice" else bad
    return body


def unsafe_text(value):
    """Why a stored value is unsafe, or None: NUL or other control characters (a tab, a line
    feed and a carriage return are text)."""
    if isinstance(value, str):
        found = sorted({c for c in value if c in CONTROL and c not in ALLOWED_CONTROL})
        return f"control characters {found!r}" if found else None
    if isinstance(value, list | tuple):
        return next((unsafe_text(item) for item in value if unsafe_text(item)), None)
    if isinstance(value, dict):
        return next(
            (unsafe_text(item) for item in [*value.keys(), *value.values()] if unsafe_text(item)),
            None,
        )
    return None
