"""Every self-assessment address, every role, GET and POST (assessment_matrix.py beside
this file), and that each address has an entry there."""

from django.urls import reverse

from tests.auth import mfa_login
from tests.roles import ROLES
from tests.urls import all_url_names

from .assessment_matrix import MATRIX


def test_every_assessment_address_has_an_entry():
    names = [name for name in all_url_names() if name.startswith("partnerships:assessment")]
    assert sorted(names) == sorted(MATRIX)


def test_assessment_access(client, personas, partnership_x):
    """One test for every address (the personas are made once): GET and POST, every role.
    The GET column is also checked by the project's access matrix once this file joins it."""
    failures = []
    for name in sorted(MATRIX):
        build, expected_get, expected_post = MATRIX[name]
        url = reverse(name, kwargs=build({}))
        for method, expected in [("GET", expected_get), ("POST", expected_post)]:
            answers = {}
            for role in ROLES:
                client.logout()
                if personas[role] is not None:
                    mfa_login(client, personas[role])
                response = client.get(url) if method == "GET" else client.post(url, {})
                answers[role] = response.status_code
            if answers != expected:
                failures.append(f"{method} {name}: expected {expected}, got {answers}")
    assert not failures, "\n".join(failures)
