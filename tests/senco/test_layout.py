"""Every app has the same shape (house style R1), so the next app cannot drift.

An app's top-level modules are its layers, with the same names in every app. A layer is one
module until it passes about 500 lines; then it becomes a package whose modules are named after
the app's features, the same names in every layer. Package `__init__.py` files hold no code, so
each function has one home. `senco/` adds the cross-cutting core and its two sub-packages.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]

# The layers, in import order (R2): rules before models, models before selectors and services,
# and so on up to views and tasks. `pupil_page` is what an app adds to the pupil page.
LAYERS = {
    "apps",
    "rules",
    "models",
    "admin",
    "factories",
    "permissions",
    "selectors",
    "services",
    "pupil_page",
    "forms",
    "filters",
    "views",
    "urls",
    "tasks",
}
# The core's cross-cutting modules, found only in `senco/`.
CORE = {
    "access",
    "audit",
    "celery",
    "concurrency",
    "context_processors",
    "deadlines",
    "middleware",
    "pdf",
    "settings",
    "settings_test",
    "wsgi",
}
# Folders Django itself names.
DJANGO_FOLDERS = {"migrations", "management", "templatetags"}

# Each app's features: the only names a layer package may split into.
FEATURES = {
    "pupils": {
        "records",
        "register",
        "register_health",
        "leavers",
        "concerns",
        "contacts",
        "passports",
        "imports",
        "import_runs",
        "subject_access",
        "retention",
    },
    "provision": {
        "plans",
        "groups",
        "delivery",
        "interventions",
        "budget",
        "impact",
        "provision_map",
        "subject_access",
    },
    "agencies": {
        "directory",
        "referrals",
        "involvement",
        "assessments",
        "ehc_plans",
        "annual_reviews",
        "statutory_calendar",
        "evidence_pack",
        "subject_access",
    },
    "transitions": {
        "transition_plans",
        "transfer_packs",
        "arrivals",
        "adulthood",
        "access_arrangements",
        "subject_access",
    },
    "senco": {"schools", "calendar", "sign_in", "staff", "audit_trail"},
    "senco/reports": set(),
}
SUB_PACKAGES = {"senco": {"reports", "demo"}}

# "About 500 lines" (R1): a module may run a little past it before it must be split, and a
# package must have grown past it before it was split.
MODULE_LIMIT = 600
PACKAGE_MINIMUM = 500


def top_level(app: str) -> tuple[set[str], set[str]]:
    folder = ROOT / app
    modules = {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}
    packages = {path.name for path in folder.iterdir() if (path / "__init__.py").exists()}
    return modules, packages - DJANGO_FOLDERS - SUB_PACKAGES.get(app, set())


def lines_of(path: Path) -> int:
    return len(path.read_text().splitlines())


@pytest.mark.parametrize("app", sorted(FEATURES))
def test_every_top_level_module_of_an_app_is_a_known_layer(app):
    modules, packages = top_level(app)
    allowed = LAYERS | (CORE if app == "senco" else set())
    assert sorted((modules | packages) - allowed) == []


@pytest.mark.parametrize("app", sorted(FEATURES))
def test_a_layer_is_a_package_split_by_feature_only_once_it_has_grown(app):
    modules, packages = top_level(app)
    too_long = {name: n for name in modules if (n := lines_of(ROOT / app / f"{name}.py")) > MODULE_LIMIT}
    assert too_long == {}, f"split these into packages by feature (R1): {too_long}"
    for package in packages:
        parts = {path.stem: lines_of(path) for path in (ROOT / app / package).glob("*.py")}
        parts.pop("__init__", None)
        assert sorted(set(parts) - FEATURES[app]) == [], (
            f"{app}/{package}/ splits by a name that is not a feature"
        )
        assert sum(parts.values()) >= PACKAGE_MINIMUM, f"{app}/{package}/ is small enough to be one module"


@pytest.mark.parametrize("app", sorted(FEATURES))
def test_package_init_files_hold_no_code(app):
    _, packages = top_level(app)
    with_code = []
    for package in packages:
        tree = ast.parse((ROOT / app / package / "__init__.py").read_text())
        # Django finds an app's models through `<app>.models` alone, so a models package
        # re-exports its feature modules' names: imports from them, nothing else.
        body = [
            node
            for node in tree.body
            if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
            and not (
                package == "models"
                and isinstance(node, ast.ImportFrom)
                and node.module.startswith(f"{app.replace('/', '.')}.models.")
            )
        ]
        if body:
            with_code.append(package)
    assert with_code == []


def test_the_layout_test_knows_every_app():
    local = {
        Path(config.path).relative_to(ROOT).as_posix()
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and ".venv" not in Path(config.path).parts
    }
    # The demo trust is a sub-package of seed scripts, not an app with layers.
    assert local - {"senco/demo"} == set(FEATURES)
