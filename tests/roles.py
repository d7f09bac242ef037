"""The roles of the access matrices (tests/test_access_matrix.py and each app's part of it)
and the answers they expect."""

# The root conftest's personas, as the matrices name them.
ROLES = [
    "anonymous",
    "consultant",
    "other_consultant",
    "pending_coordinator",
    "coordinator",
    "other_coordinator",
    "admin",
]

OK, BAD, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 400, 403, 404, 405
R = 302  # a redirect somewhere other than the sign-in page (after an action, or onward)


def same(code):
    """Every role gets `code`."""
    return dict.fromkeys(ROLES, code)
