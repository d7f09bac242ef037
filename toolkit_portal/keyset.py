"""Pages of a long list by position ("the 100 after this row"), without counting the list.

Page numbers need the list's total (a count of every matching row on each page shown) and
an OFFSET that reads every row before the page. Here the address names the row a page
starts after (`?after=<id>`) or ends before (`?before=<id>`); PostgreSQL reads the page in
order from the index that sorts the list. Only the row's id is in the address: its sort
value is read by a subquery of the same query, from the same list (a row outside it gives
no position). A page whose row has gone, or an id that is not one, shows the first page.

The list is sorted by one column (ascending or descending), then by id: every row has one
place, so paging forward and back never skips nor repeats a row.
"""

from django.conf import settings
from django.db.models import Q, Subquery

from .view_helpers import uuid_or_none


class KeysetPage:
    """One page: iterate it for its rows; `has_previous`/`has_next` and the ids to link."""

    def __init__(self, rows, *, has_previous, has_next):
        self.object_list = rows
        self.has_previous = has_previous
        self.has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_other_pages(self):
        return self.has_previous or self.has_next

    @property
    def previous_before(self):
        """The id the previous page ends before: this page's first row."""
        return _pk(self.object_list[0]) if self.object_list else None

    @property
    def next_after(self):
        """The id the next page starts after: this page's last row."""
        return _pk(self.object_list[-1]) if self.object_list else None


def _pk(row):
    """A row's id: a model instance, or a dictionary of `values("pk", …)`."""
    return row["pk"] if isinstance(row, dict) else row.pk


def keyset_page(request, queryset, *, field, descending=False, size=None):
    """The page of `queryset` the request's `after`/`before` asks for, sorted by `field`
    (descending if asked) then id, `size` rows at most (by default settings.PAGE_SIZE)."""
    size = size or settings.PAGE_SIZE
    after = uuid_or_none(request.GET.get("after"))
    before = None if after else uuid_or_none(request.GET.get("before"))
    forward = [f"-{field}" if descending else field, "pk"]
    if not (after or before):
        return _first_page(queryset, forward, size)
    cursor = after or before
    anchor = Subquery(queryset.order_by().filter(pk=cursor).values(field)[:1])
    # Rows after the anchor in the list's order (or before it, for a previous page).
    later = (after is not None) != descending  # the sort value grows in this direction
    beyond = "gt" if later else "lt"
    rows = queryset.filter(
        Q(**{f"{field}__{beyond}e": anchor})
        & (
            Q(**{f"{field}__{beyond}": anchor})
            | Q(**{field: anchor, f"pk__{'gt' if after else 'lt'}": cursor})
        )
    )
    if after:
        rows = list(rows.order_by(*forward)[: size + 1])
        if not rows:
            return _first_page(queryset, forward, size)
        return KeysetPage(rows[:size], has_previous=True, has_next=len(rows) > size)
    backward = [f"{field}" if descending else f"-{field}", "-pk"]
    rows = list(rows.order_by(*backward)[: size + 1])
    if len(rows) <= size:  # back at the start of the list (or the row has gone)
        return _first_page(queryset, forward, size)
    return KeysetPage(rows[:size][::-1], has_previous=True, has_next=True)


def _first_page(queryset, order, size):
    rows = list(queryset.order_by(*order)[: size + 1])
    return KeysetPage(rows[:size], has_previous=False, has_next=len(rows) > size)
