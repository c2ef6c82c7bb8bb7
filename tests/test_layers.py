"""The import direction: presentation below ui and report, neither of which imports the other;
page scripts only lay out; the brief's charts load no plotly."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# package -> the top-level modules it must never import
FORBIDDEN = {
    "warehouse": {"etl", "presentation", "ui", "report", "views", "streamlit", "plotly",
                  "requests"},
    "presentation": {"etl", "ui", "report", "views", "streamlit", "plotly"},
    "ui": {"etl", "report", "views"},
    "report": {"etl", "ui", "views", "streamlit", "plotly"},
    "views": {"etl", "warehouse", "indicators", "pandas", "numpy", "duckdb"},
}


def imports(path: Path) -> set[str]:
    """Return the top-level module names a file imports (at any depth of the file)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def files(package: str) -> list[Path]:
    return sorted((ROOT / package).glob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_what_it_must_not(package):
    assert files(package), f"no modules found in {package}/"
    bad = {path.name: sorted(imports(path) & FORBIDDEN[package]) for path in files(package)}
    assert {k: v for k, v in bad.items() if v} == {}


def test_the_scan_sees_imports():
    assert "indicators" in imports(ROOT / "warehouse" / "build.py")
    assert "presentation" in imports(ROOT / "ui" / "render.py")
    assert "streamlit" in imports(ROOT / "ui" / "render.py")
    assert "presentation" in imports(ROOT / "report" / "pdf.py")


def test_page_scripts_build_no_tables_and_no_frames():
    """A page script lays out a view-model: no DataFrame, no .pivot/.merge/.groupby of its own."""
    calls = {"DataFrame", "pivot_table", "merge", "groupby", "rename", "pivot", "concat",
             "apply", "style"}
    for path in files("views"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        assert not used & calls, (path.name, sorted(used & calls))


def test_the_briefs_charts_and_renderers_load_no_plotly():
    code = ("import sys; import report.pdf, report.html, report.brief, "
            "presentation.static_charts, presentation.region; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('plotly', 'streamlit', 'ui')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
