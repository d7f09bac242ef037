"""The apps are floors (README, "Architecture"): each imports only the apps below it, and the
apps of one floor do not import each other, so no circle can run between files of different
apps. Every import is read from the source, including those inside functions; migrations
too (they may use a lower app's helpers). `make lint` runs the same rule with import-linter
(`lint-imports`, pyproject.toml)."""

import ast
import re
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


# Templates keep the same floors: a page of one app loads no tag library of an app above it
# or beside it, and includes or extends none of such an app's templates. A higher app adds
# to a lower app's page through a registered panel (toolkit_portal/hooks.py, `panels` tag).
TEMPLATE_DIRS = [ROOT / "templates"] + sorted(ROOT.glob("*/templates"))
LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")
USES = re.compile(r"""{%\s*(?:include|extends)\s+["']([^"']+)["']""")


def project_templates():
    """{template name: its source}, the project's own templates (emails too)."""
    found = {}
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".txt"}:
                found.setdefault(path.relative_to(folder).as_posix(), (folder, path.read_text()))
    return found


def tag_libraries():
    """{library name: app}, every app's `templatetags` modules (a library not here is a
    third party's)."""
    return {
        path.stem: app
        for app in FLOOR
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def libraries_loaded(source):
    """The libraries a template loads: `{% load a b %}` and `{% load x y from lib %}`."""
    names = []
    for words in LOAD.findall(source):
        words = words.split()
        names += words[words.index("from") + 1 :] if "from" in words else words
    return names


def template_owners(templates):
    """{template: app}. A template belongs to the app whose code names it (a view or a tag;
    the lowest such app, since a higher app may use a lower one's template); a partial in an
    app's folder (templates/<app>/… or <app>/templates/) that no code names, to the lowest app
    whose templates include it, else to that app; the shared ones (base.html, pagination,
    allauth's) to the ground app."""
    named = {}
    for app in FLOOR:
        for path in (ROOT / app).rglob("*.py") if (ROOT / app).is_dir() else []:
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Constant) and node.value in templates:
                    named.setdefault(node.value, set()).add(app)
    owners = {name: min(apps, key=FLOOR.get) for name, apps in named.items()}
    folders = {}
    for name, (folder, _source) in templates.items():
        top = folder.parent.name if folder != ROOT / "templates" else name.split("/")[0]
        folders[name] = top if top in FLOOR else None
        if name not in owners and folders[name] is None:
            owners[name] = "toolkit_portal"
    changed = True
    while changed:  # partials inherit from their includers, through partials of partials
        changed = False
        for name, (_folder, source) in templates.items():
            for used in USES.findall(source):
                if name in owners and folders.get(used) and used not in named:
                    lowest = min({owners.get(used, owners[name]), owners[name]}, key=FLOOR.get)
                    if owners.get(used) != lowest:
                        owners[used], changed = lowest, True
    return {name: owners.get(name, folders[name]) for name in templates}


def template_reaches(templates, owners, libraries):
    """["template reaches what (app)"] for every reach up a floor or across one."""
    wrong = []
    for name, (_folder, source) in sorted(templates.items()):
        app = owners[name]
        reached = [(f"loads {lib}", libraries.get(lib)) for lib in libraries_loaded(source)]
        reached += [(f"uses {used}", owners.get(used)) for used in USES.findall(source)]
        for what, other in reached:
            if other in FLOOR and other != app and FLOOR[other] >= FLOOR[app]:
                wrong.append(f"{name} ({app}) {what} ({other})")
    return wrong


def test_no_template_reaches_an_app_above_it_or_beside_it():
    templates = project_templates()
    wrong = template_reaches(templates, template_owners(templates), tag_libraries())
    assert not wrong, "A template reaches an app above it or beside it:\n" + "\n".join(wrong)


def test_templates_belong_to_the_app_that_shows_them():
    owners = template_owners(project_templates())
    assert owners["partnerships/partnership_detail.html"] == "partnerships"
    assert owners["partnerships/board_detail.html"] == "survivors"  # the boards' view names it
    assert owners["partnerships/_tokenization_warning.html"] == "survivors"  # boards' partial
    assert owners["partnerships/assessment/_cells.html"] == "assessment"
    assert owners["toolkit_portal/consultant_dashboard.html"] == "portal_site"
    assert owners["_pagination.html"] == "toolkit_portal"
    assert owners["admin/trainings/training/change_list.html"] == "trainings"
