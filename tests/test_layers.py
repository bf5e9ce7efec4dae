"""The project's floors, and the rule that imports run downwards only.

    core <- units <- security, notifications <- bases, campaigns, inspections, pledges, publications
         <- reports, search <- portal <- sitecheck <- demo

A module may import its own app and the apps on lower floors; apps on one floor do not import each
other. `config` wires everything together and is outside the rule, as are `bench/` and `e2e/`.
The check reads the source with `ast`, so an import inside a function counts as well."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FLOORS = [
    ["core"],
    ["units"],
    ["security", "notifications"],
    ["bases", "campaigns", "inspections", "pledges", "publications"],
    ["reports", "search", "quizzes"],
    ["portal"],
    ["sitecheck"],
    ["demo"],
]
FLOOR_OF = {app: number for number, apps in enumerate(FLOORS) for app in apps}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def upward_imports(root: Path, floor_of: dict[str, int]) -> list[str]:
    """Every import in the apps under `root` that goes to a higher floor or to a sibling app."""
    problems = []
    for app, floor in floor_of.items():
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, module in imported_modules(path):
                target = module.split(".")[0]
                if target == app or target not in floor_of:
                    continue
                if floor_of[target] >= floor:
                    where = "a sibling on the same floor" if floor_of[target] == floor else "a higher floor"
                    problems.append(f"{path.relative_to(root)}:{line} imports {module} ({where})")
    return problems


def test_every_app_is_on_a_floor():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == set(FLOOR_OF), "add the new app to FLOORS here and in docs/architecture.md"


def test_imports_run_downwards_only():
    assert upward_imports(ROOT, FLOOR_OF) == []


@pytest.mark.parametrize(
    ("app", "source", "expected"),
    [
        ("core", "from bases.models import EducationBase\n", "core/module.py:1 imports bases.models (a higher floor)"),
        ("bases", "def f():\n    import portal.views\n", "bases/module.py:2 imports portal.views (a higher floor)"),
        (
            "bases",
            "from campaigns import models\n",
            "bases/module.py:1 imports campaigns (a sibling on the same floor)",
        ),
    ],
)
def test_the_check_catches_an_upward_import(tmp_path, app, source, expected):
    for name in FLOOR_OF:
        (tmp_path / name).mkdir()
    (tmp_path / app / "module.py").write_text(source, encoding="utf-8")
    assert upward_imports(tmp_path, FLOOR_OF) == [expected]


def test_downward_imports_and_migrations_pass(tmp_path):
    for name in FLOOR_OF:
        (tmp_path / name / "migrations").mkdir(parents=True)
    (tmp_path / "portal" / "views.py").write_text("from bases.models import EducationBase\nimport core.images\n")
    (tmp_path / "core" / "migrations" / "0001_initial.py").write_text("import bases.models\n")
    assert upward_imports(tmp_path, FLOOR_OF) == []
