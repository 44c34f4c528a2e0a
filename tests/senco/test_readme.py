"""The README is the map of the code: its module list, its configuration table and every path
it or a decision note names must match what is on disk, or a newcomer is sent to files that do
not exist and misses ones that do."""

import re
from pathlib import Path

from tests.senco.test_deploy_files import variables_the_app_reads

ROOT = Path(__file__).resolve().parents[2]
APPS = ("pupils", "provision", "agencies", "transitions", "senco")


def readme_section(heading: str) -> str:
    """The README's text under `heading` (a whole heading line), up to the next heading of the
    same or a higher level."""
    text = (ROOT / "README.md").read_text()
    level = heading.split(" ")[0]
    start = text.index(f"\n{heading}\n") + len(heading) + 2
    ends = [match.start() for match in re.finditer(rf"\n#{{1,{len(level)}}} ", text[start:])]
    return text[start : start + ends[0]] if ends else text[start:]


def modules_listed_in_readme() -> list[str]:
    """The first word of each line of the first code block under "### Every module"."""
    block = readme_section("### Every module").split("```text\n", 1)[1].split("```", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def modules_on_disk() -> set[str]:
    return {
        path.relative_to(ROOT).as_posix()
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name != "__init__.py" and "migrations" not in path.relative_to(ROOT).parts
    }


def test_readme_lists_every_module_once_and_no_module_that_does_not_exist():
    listed = modules_listed_in_readme()
    duplicates = sorted({module for module in listed if listed.count(module) > 1})
    on_disk = modules_on_disk()
    assert (duplicates, sorted(on_disk - set(listed)), sorted(set(listed) - on_disk)) == ([], [], [])


def test_readme_configuration_table_names_every_variable_the_app_reads():
    rows = [line for line in readme_section("## Configuration").splitlines() if line.startswith("| `")]
    documented = {name for row in rows for name in re.findall(r"`(\w+)`", row.split("|")[1])}
    assert sorted(variables_the_app_reads() - documented) == []


def test_every_python_file_the_readme_and_docs_name_exists():
    """Paths only (`pupils/rules.py`); a bare layer name such as `pupil_page.py` names a kind of
    module, not a file."""
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    named = {
        (document.relative_to(ROOT).as_posix(), path)
        for document in documents
        for path in re.findall(r"(?<![\w./-])([\w-]+(?:/[\w-]+)+\.py)\b", document.read_text())
    }
    assert sorted((document, path) for document, path in named if not (ROOT / path).exists()) == []
