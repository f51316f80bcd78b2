"""The shape docs/architecture.md describes, checked on the tree: the floors, the size of a module, and that every
file the docs name exists."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ["lib", "org", "residents", "committee", "disclosure", "elections"]
# "No module over ~500 lines outside migrations" (a module that long is split the way its app's packages are).
MAX_LINES = 500


def python_files(*tops: str):
    for top in tops:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_apps(path: Path) -> set[str]:
    """The project's apps a module imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(FLOORS)


@pytest.mark.parametrize("app", FLOORS)
def test_it_imports_only_from_the_floors_below(app):
    above = set(FLOORS[FLOORS.index(app) + 1:])
    offending = {str(path.relative_to(ROOT)): sorted(imported_apps(path) & above)
                 for path in python_files(app) if imported_apps(path) & above}
    assert offending == {}


def test_no_module_is_longer_than_the_limit():
    tops = [*FLOORS, "config", "tests", "bench"]
    long = {str(p.relative_to(ROOT)): n for p in python_files(*tops)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_file_the_docs_name_exists():
    text = "\n".join(doc.read_text(encoding="utf-8") for doc in sorted((ROOT / "docs").glob("*.md")))
    named = set(re.findall(r"`([a-z_]+(?:/[\w.<>-]+)+\.(?:py|html|js|css|md))", text))
    # Paths are from the top, or from templates/, static/ or the app whose section names them; a placeholder such
    # as templates/<app>/<page>.html is a pattern, not a file.
    bases = [ROOT, ROOT / "templates", ROOT / "static", *(ROOT / app for app in FLOORS)]
    missing = sorted(p for p in named if "<" not in p and not any((base / p).exists() for base in bases))
    assert named and missing == []
