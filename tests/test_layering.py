"""The areas stay apart: each imports only what its allow-list names; workflows is pure
Python; models know no URLs; only the request boundary and the command line commit."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "litigation"
ROOT = PACKAGE.parent
WEB = PACKAGE / "web"
WORKFLOW_MODULES = sorted((PACKAGE / "workflows").glob("*.py"))
FORBIDDEN_IN_WORKFLOWS = ("flask", "sqlalchemy", "werkzeug", "litigation.web", "litigation.models")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import; `from a import b` yields a and a.b."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            origin = ".".join(base) if node.level else ""
            origin = ".".join(part for part in (origin, node.module or "") if part)
            yield node.lineno, origin
            for alias in node.names:
                yield node.lineno, f"{origin}.{alias.name}"


def file_imports(path: Path) -> Iterator[tuple[int, str]]:
    return imports(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def is_forbidden_in_workflows(name: str) -> bool:
    top = name.split(".")[0]
    return top.startswith("flask_") or any(
        name == banned or name.startswith(f"{banned}.") for banned in FORBIDDEN_IN_WORKFLOWS
    )


def is_web(name: str) -> bool:
    return name == "litigation.web" or name.startswith("litigation.web.")


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("import flask", ["flask"]),
        ("from flask_login import current_user", ["flask_login", "flask_login.current_user"]),
        ("import sqlalchemy.orm as orm", ["sqlalchemy.orm"]),
        ("from werkzeug import exceptions", ["werkzeug", "werkzeug.exceptions"]),
        ("from ..web import views", ["litigation.web", "litigation.web.views"]),
        ("from .. import models", ["litigation.models"]),
        (
            "def f():\n    from litigation.models import Case",
            ["litigation.models", "litigation.models.Case"],
        ),
        ("from .spec import Text\nimport yaml", []),
        ("from .flask_helpers import x", []),
    ],
)
def test_the_import_check_finds_forbidden_imports(source: str, found: list[str]) -> None:
    names = [name for _line, name in imports(source, "litigation.workflows.example")]

    assert [name for name in names if is_forbidden_in_workflows(name)] == found


@pytest.mark.parametrize("path", WORKFLOW_MODULES, ids=[p.name for p in WORKFLOW_MODULES])
def test_workflows_module_imports_no_web_or_database_layer(path: Path) -> None:
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for line, name in file_imports(path)
        if is_forbidden_in_workflows(name)
    ]

    assert bad == []


def test_importing_the_workflows_modules_loads_no_flask() -> None:
    # The parent package's __init__ builds the Flask app, so it is replaced by a bare package:
    # this checks what the workflows modules themselves pull in.
    modules = [module_name(path) for path in WORKFLOW_MODULES]
    code = "\n".join(
        [
            "import importlib, sys, types",
            "parent = types.ModuleType('litigation')",
            f"parent.__path__ = [{str(PACKAGE)!r}]",
            "sys.modules['litigation'] = parent",
            f"for name in {modules!r}:",
            "    importlib.import_module(name)",
            "bad = ('flask', 'sqlalchemy', 'werkzeug', 'litigation.web', 'litigation.models')",
            "loaded = [m for m in sys.modules if m.startswith(bad) or m.startswith('flask_')]",
            "assert 'litigation.workflows.machine' in sys.modules",
            "print(' '.join(sorted(loaded)))",
        ]
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], "importing litigation.workflows.* loaded these modules"


def test_models_never_call_url_for() -> None:
    path = PACKAGE / "models.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))

    uses = [
        f"{path.relative_to(ROOT)}:{node.lineno} uses url_for"
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id == "url_for")
        or (isinstance(node, ast.Attribute) and node.attr == "url_for")
        or (isinstance(node, ast.alias) and node.name.split(".")[-1] == "url_for")
    ]
    assert uses == []


# Each area names the areas it may import, as routemaster's DEPENDENCIES do. An area is a
# folder of the package (or a top-level module); `litigation` itself is the app factory.
DEPENDENCIES: dict[str, set[str]] = {
    "litigation": {"config", "registry", "db", "cli", "web", "cases", "workflows", "documents"},
    "__main__": {"cli"},
    "wsgi": {"litigation", "workflows", "config"},
    # gunicorn's logger class: it runs in gunicorn's own processes, before and beside the app.
    "access_log": set(),
    "config": set(),
    "workflows": set(),
    "errors": {"workflows"},
    "db": {"models"},
    "models": {"db"},
    "registry": {"workflows"},
    "audit": {"db", "models"},
    "cases": {"db", "models", "errors", "workflows", "audit"},
    "accounts": {"db", "models", "errors", "cases", "audit"},
    "feeds": {"db", "models", "errors", "workflows", "cases", "audit"},
    "dashboard": {"db", "models", "workflows"},
    "migrations": {"db", "models", "cases", "audit"},
    "backups": {"db", "models", "audit"},
    # E-mail: planned from the records and the dashboard's SQL, sent with the standard library.
    "notifications": {"db", "models", "workflows", "dashboard", "audit"},
    # Encryption at rest and storage of case files; `config` for the error that stops start-up.
    "documents": {"config", "db", "models", "errors", "audit"},
    # Bulk demo data (`litigation demo --cases`, bench/): rows built with the areas' own
    # functions (stays, deadlines' closing, names' folding, feed tokens, encryption).
    "demo_data": {"db", "models", "workflows", "cases", "dashboard", "documents", "feeds"},
    "cli": {
        "litigation",
        "config",
        "db",
        "models",
        "errors",
        "registry",
        "workflows",
        "accounts",
        "cases",
        "feeds",
        "audit",
        "backups",
        "documents",
        "dashboard",  # the demo keeps the dashboard's funnel in order
        "notifications",
        "demo_data",
    },
    "web": {
        "db",
        "models",
        "errors",
        "registry",
        "workflows",
        "accounts",
        "cases",
        "feeds",
        "dashboard",
        "audit",
        "documents",
        "notifications",  # the words of e-mail (web/mail.py)
    },
}
# The domain areas hold no HTTP: the Flask app reaches them, never the other way round.
NO_FLASK = {
    "workflows",
    "errors",
    "models",
    "cases",
    "accounts",
    "feeds",
    "dashboard",
    "audit",
    "backups",
    "access_log",
    "documents",
    "notifications",
    "demo_data",
}


AREAS = {path.stem for path in PACKAGE.iterdir() if path.suffix == ".py" or path.is_dir()}


def area_of(module: str) -> str:
    """The area of a module of the package: its first part after `litigation` (a name the
    package itself defines, such as `litigation.create_app`, belongs to `litigation`)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in AREAS else "litigation"


def _package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def is_refused(area: str, name: str) -> bool:
    """Whether `area` may not import module `name`."""
    top = name.split(".")[0]
    if top == "litigation" and name != "litigation":
        return area_of(name) not in DEPENDENCIES[area] | {area}
    return area in NO_FLASK and (top == "flask" or top.startswith("flask_"))


def _bad_imports(path: Path) -> list[str]:
    area = area_of(module_name(path))
    return [
        f"{path.relative_to(ROOT)}:{line} ({area}) imports {name}"
        for line, name in file_imports(path)
        if is_refused(area, name)
    ]


def test_every_area_of_the_package_is_in_the_allow_list() -> None:
    areas = {area_of(module_name(path)) for path in _package_modules()}

    assert areas <= set(DEPENDENCIES), sorted(areas - set(DEPENDENCIES))


def test_each_area_imports_only_what_the_allow_list_names() -> None:
    bad = [problem for path in _package_modules() for problem in _bad_imports(path)]

    assert bad == []


@pytest.mark.parametrize(
    ("module", "source", "bad"),
    [
        ("litigation.cases.operations", "from ..web import views", True),
        ("litigation.cases.operations", "from ..feeds import ical", True),
        ("litigation.cases.operations", "from ..workflows.spec import Route", False),
        ("litigation.feeds.entries", "from ..cases.access import can_view", False),
        ("litigation.dashboard.sql", "from flask import g", True),
        ("litigation.web.cases", "from ..cli import demo", True),
        ("litigation.web.cases", "from flask import g", False),
    ],
)
def test_the_allow_list_check_catches_what_it_should(module: str, source: str, bad: bool) -> None:
    names = [name for _line, name in imports(source, module)]

    assert any(is_refused(area_of(module), name) for name in names) is bad


def test_nothing_commits_but_the_request_boundary_and_the_command_line() -> None:
    allowed = {PACKAGE / "web" / "transaction.py", *(PACKAGE / "cli").glob("*.py")}
    commits = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _package_modules()
        if path not in allowed and "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "commit"
    ]

    assert commits == []


def test_the_app_factory_only_calls_web_init_app() -> None:
    path = PACKAGE / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))

    uses = sorted(
        {
            f"web.{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "web"
        }
    )
    bare = [
        f"{path.relative_to(ROOT)}:{node.lineno} passes web itself around"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and any(isinstance(arg, ast.Name) and arg.id == "web" for arg in node.args)
    ]
    assert uses == ["web.init_app"]
    assert bare == []


ICAL_MODULES = ("ical.py", "ical_lines.py")


@pytest.mark.parametrize("name", ICAL_MODULES)
def test_the_ical_modules_are_pure(name: str) -> None:
    """feeds/ical.py and ical_lines.py turn entries into bytes: no Flask, no database, no
    models, no clock (the same entries give the same bytes); each may use the other."""
    path = PACKAGE / "feeds" / name
    allowed = {
        *("__future__", "datetime", "collections", "dataclasses", "functools", "typing"),
        "icalendar",
    }
    siblings = {f"litigation.feeds.{module.removesuffix('.py')}" for module in ICAL_MODULES}
    tops = {
        name.split(".")[0]
        for _line, name in file_imports(path)
        # `from . import ical` names the package too; `from .ical import X`, the module's X.
        if name != "litigation.feeds"
        and name not in siblings
        and name.rpartition(".")[0] not in siblings
    }
    clock = [
        f"{path.relative_to(ROOT)}:{node.lineno} reads the clock"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in {"now", "today", "utcnow"}
    ]

    assert tops <= allowed, sorted(tops - allowed)
    assert clock == []
