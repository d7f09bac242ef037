"""Query counts that do not grow with the number of rows.

The coordinators' lists are checked at 10 and at 1,000 rows (tests/survivors/bulk.py makes
the rows); every page loaded in the suite also fails on an N+1 query (django-zeal, enabled
in the test settings).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

MAX_QUERIES_PER_PAGE = 10


def assert_fixed_query_count(client, url, add_rows, django_assert_num_queries):
    """Load `url` with few rows, add many with `add_rows()`, and require the same number of
    queries (and at most MAX_QUERIES_PER_PAGE)."""
    client.get(url)  # the session's first request does one-time work
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    count = len(few.captured_queries)
    assert count <= MAX_QUERIES_PER_PAGE, [q["sql"][:120] for q in few.captured_queries]
    add_rows()
    with django_assert_num_queries(count):
        assert client.get(url).status_code == 200
    return count
