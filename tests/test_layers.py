"""The apps are floors (README, "Architecture"): each imports only the apps below it, and the
apps of one floor do not import each other, so no circle can run between files of different
apps. Every import is read from the source, including those inside functions; migrations
too (they may use a lower app's helpers). `make lint` runs the same rule with import-linter
(`lint-imports`, pyproject.toml)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top; apps on one floor are independent of each other. `reports` is not there yet.
FLOORS = [
    {"toolkit_portal"},
    {"partnerships"},
    {"survivors", "trainings"},
    {"assessment"},
    {"reports"},
    {"portal_site"},
]
FLOOR = {app: level for level, apps in enumerate(FLOORS) for app in apps}


def imports_of(path, root=ROOT):
    """[(line, imported module)] of a file, relative imports resolved."""
    package = list(path.relative_to(root).with_suffix("").parts)
    package = package if path.name == "__init__.py" else package[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            found.append((node.lineno, ".".join([*base, *filter(None, [node.module])])))
    return sorted(found)


def test_no_app_imports_an_app_above_it_or_beside_it():
    wrong = []
    for app, level in FLOOR.items():
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).is_dir() else []:
            for line, module in imports_of(path):
                other = module.split(".")[0]
                if other != app and other in FLOOR and FLOOR[other] >= level:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "An app imports one above it or beside it:\n" + "\n".join(wrong)


def test_the_check_sees_imports_inside_functions_and_relative_ones(tmp_path):
    (tmp_path / "partnerships").mkdir()
    sample = tmp_path / "partnerships" / "sample.py"
    sample.write_text(
        "def f():\n    from survivors.models import Board\n\n\nfrom .models import X\n"
    )
    assert imports_of(sample, tmp_path) == [(2, "survivors.models"), (5, "partnerships.models")]
