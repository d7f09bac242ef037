"""The Spanish catalog is complete and compiled, and every string the code marks is in it."""

import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

from .catalog import PO_PATH, placeholders, spanish_catalog


def test_every_spanish_entry_is_translated_and_not_fuzzy():
    catalog = spanish_catalog()
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [], f"Translate these into Spanish: {untranslated[:20]}"
    assert fuzzy == [], f"Review these fuzzy Spanish entries: {fuzzy[:20]}"
    assert catalog.percent_translated() == 100


def test_placeholders_survive_translation():
    """A placeholder lost in Spanish would drop a date, a name or an amount from the page.
    (A singular may leave out a number its plural needs, as English does.)"""
    lost = []
    for entry in spanish_catalog():
        if entry.msgid_plural:
            english = placeholders(entry.msgid_plural)
            spanish = placeholders(entry.msgstr_plural.get(1, ""))
        else:
            english, spanish = placeholders(entry.msgid), placeholders(entry.msgstr)
        if english != spanish:
            lost.append((entry.msgid, sorted(english ^ spanish)))
    assert lost == []


def _as_dict(mo):
    return {(e.msgid, e.msgid_plural): (e.msgstr, sorted(e.msgstr_plural.items())) for e in mo}


def test_the_compiled_catalog_is_current(tmp_path):
    """The .mo kept beside the .po matches it: every changed translation was compiled."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO_PATH)], check=True)
    compiled = polib.mofile(str(PO_PATH.with_suffix(".mo")))
    assert _as_dict(compiled) == _as_dict(polib.mofile(str(fresh))), (
        "Run `python manage.py compilemessages -l es --ignore=.venv`."
    )


def test_makemessages_finds_nothing_new(tmp_path):
    """Every string marked in the code and templates is already in the catalog."""
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (gettext) is not installed")
    work = tmp_path / "portal"
    shutil.copytree(
        settings.BASE_DIR,
        work,
        ignore=shutil.ignore_patterns(
            ".venv", "var", "node_modules", ".git", "__pycache__", "tests", "locale", "static"
        ),
        symlinks=True,
    )
    (work / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete"]
        + ["--ignore=.venv", "--ignore=var", "--ignore=node_modules", "--ignore=tests"],
        cwd=work,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(work / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgid, e.msgid_plural) for e in spanish_catalog() if not e.obsolete}
    new = sorted(e.msgid for e in fresh if (e.msgid, e.msgid_plural) not in known)
    assert new == [], (
        "Strings marked for translation are missing from locale/es: run makemessages and "
        f"translate them: {new[:20]}"
    )
