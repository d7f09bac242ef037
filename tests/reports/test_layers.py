"""The reports app is a floor above survivors, partnerships and trainings: none of them may
import it, and it reads them only through reports/sources.py."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOWER_APPS = ["survivors", "partnerships", "trainings"]


def imported_modules(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_no_lower_app_imports_reports():
    offenders = [
        str(path.relative_to(ROOT))
        for app in LOWER_APPS
        for path in (ROOT / app).rglob("*.py")
        if any(m == "reports" or m.startswith("reports.") for m in imported_modules(path))
    ]
    assert offenders == []


def test_reports_reads_the_apps_below_through_sources_only():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "reports").rglob("*.py")
        if path.name != "sources.py"
        and "migrations" not in path.parts
        and any(m.split(".")[0] in ("survivors", "partnerships") for m in imported_modules(path))
    ]
    assert offenders == []
