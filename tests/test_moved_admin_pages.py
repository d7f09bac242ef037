"""The admin pages of models that moved app (boards and recommendations to survivors, the
self-assessment to assessment) keep their old addresses: an old bookmark still arrives."""

import pytest
from django.urls import reverse

from portal_site.views import MOVED_ADMIN_MODELS
from tests.auth import mfa_login


@pytest.mark.parametrize("model", sorted(MOVED_ADMIN_MODELS))
def test_an_old_admin_address_arrives_at_the_moved_page(client, admin_user, model):
    mfa_login(client, admin_user)
    app = MOVED_ADMIN_MODELS[model]
    response = client.get(f"/admin/partnerships/{model}/?o=1")
    assert response.status_code == 301
    assert response["Location"] == f"/admin/{app}/{model}/?o=1"
    assert client.get(response["Location"]).status_code == 200
    assert reverse(f"admin:{app}_{model}_changelist") == f"/admin/{app}/{model}/"


def test_an_old_change_page_address_keeps_its_record(client, admin_user):
    response = client.get("/admin/partnerships/assessmentround/7/change/")
    assert response["Location"] == "/admin/assessment/assessmentround/7/change/"


def test_models_still_in_partnerships_are_not_redirected(client, admin_user):
    mfa_login(client, admin_user)
    assert client.get("/admin/partnerships/partnership/").status_code == 200
