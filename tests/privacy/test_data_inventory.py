"""The data inventory names every field of every model, and the README shows it."""

from pathlib import Path

from django.apps import apps

from toolkit_portal.data_inventory import INVENTORY, RETENTION, personal_fields, render_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def _models():
    return {model._meta.label: model for model in apps.get_models(include_auto_created=True)}


def test_every_model_field_is_in_the_inventory():
    missing = []
    for label, model in _models().items():
        item = INVENTORY.get(label)
        if item is None:
            missing.append(f"{label} (the whole model)")
            continue
        listed = set(item["personal"]) | set(item["other"])
        missing += [
            f"{label}.{f.name}" for f in model._meta.concrete_fields if f.name not in listed
        ]
    assert not missing, "Add these to toolkit_portal/data_inventory.py: " + ", ".join(missing)


def test_every_inventory_entry_names_a_field_that_exists():
    models = _models()
    stale = [label for label in INVENTORY if label not in models]
    for label, item in INVENTORY.items():
        if label in models:
            fields = {f.name for f in models[label]._meta.concrete_fields}
            named = [*item["personal"], *item["other"]]
            stale += [f"{label}.{name}" for name in named if name not in fields]
    assert not stale, "No longer in the models: " + ", ".join(stale)


def test_no_field_is_both_personal_and_not():
    both = [
        f"{label}.{name}"
        for label, item in INVENTORY.items()
        for name in set(item["personal"]) & set(item["other"])
    ]
    duplicated = [
        label for label, item in INVENTORY.items() if len(item["other"]) != len(set(item["other"]))
    ]
    assert not both and not duplicated


def test_every_personal_field_has_a_purpose_and_a_retention():
    for label, field, purpose, retention in personal_fields():
        assert purpose.strip(), f"{label}.{field} has no purpose"
        assert retention in RETENTION.values(), f"{label}.{field} has no retention"
    for label, item in INVENTORY.items():
        assert (item["retention"] in RETENTION) == bool(item["personal"]), label


def test_the_survivors_most_sensitive_fields_are_marked_personal():
    personal = {(label, field) for label, field, _purpose, _kept in personal_fields()}
    for key in [
        ("survivors.PrivateDetails", "legal_name"),
        ("survivors.PrivateDetails", "payment_details"),
        ("survivors.ConsultantProfile", "display_name"),
        ("survivors.ParticipationRequest", "consent_off_limits"),
        ("usersessions.UserSession", "ip"),
        ("toolkit_portal.User", "email"),
    ]:
        assert key in personal


def test_readme_shows_the_inventory_as_it_is():
    assert render_markdown() in README.read_text(), (
        "README's table is out of date: paste `python -m toolkit_portal.data_inventory` "
        'under "### Personal data: what is kept and for how long".'
    )
