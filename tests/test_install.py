"""A non-editable install ships the trees: `pdd-wizard run --tree pinduoduo` works from any directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.utils import ROOT

SHIPPED = sorted(p.name for p in (ROOT / "trees").glob("*.yaml"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("pdd_wizard-*.whl"))


def test_wheel_holds_the_trees_and_the_schema(wheel: Path) -> None:
    assert "pinduoduo.yaml" in SHIPPED
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"wizard/trees/{name}" for name in SHIPPED} <= names
    assert "wizard/trees/tree.schema.json" in names
    assets = {p.name for p in (ROOT / "wizard" / "render" / "html" / "assets").iterdir() if p.suffix != ".pyc"}
    assert {"page.html", "page.css", "engine.js", "page.js"} <= assets
    assert {f"wizard/render/html/assets/{name}" for name in assets} <= names  # the HTML page's files
    assert not any(name.startswith("tests/") for name in names)


def test_installed_package_runs_a_shipped_tree_from_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sys, wizard\n"
        f"assert wizard.__file__.startswith({str(target)!r}), wizard.__file__\n"
        "from wizard.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}

    def installed(*args: str) -> subprocess.CompletedProcess[str]:
        """`pdd-wizard ARGS` from the installed package, run from elsewhere."""
        argv = [sys.executable, "-c", code, *args]
        return subprocess.run(argv, cwd=elsewhere, env=env, capture_output=True, text=True, check=False)

    for name in SHIPPED:
        tree = name.removesuffix(".yaml")
        result = installed("run", "--tree", tree, "--defaults", "--format", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["tree"] == tree
        # Messages name the installed file by a path that exists from here, not the source's trees/x.yaml.
        checked = installed("check", tree, "--format", "json")
        assert checked.returncode == 0, checked.stderr
        named = json.loads(checked.stdout)["trees"][0]["file"]
        assert Path(elsewhere, named).is_file() and named.startswith(str(target)), named
        if shutil.which("dot"):  # the page's files come from the installed package
            page = installed("export", "--tree", tree, "--format", "html", "-o", "page.html")
            assert page.returncode == 0, page.stderr
            assert (elsewhere / "page.html").read_bytes().startswith(b"<!DOCTYPE html>")


def test_the_source_checkout_finds_its_trees_when_it_shadows_an_installed_package(wheel: Path, tmp_path: Path) -> None:
    # After `pip install .` (not editable), `python -m wizard` in the checkout imports the
    # checkout's wizard/, which has no wizard/trees: the trees/ folder beside it is used.
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    # -S: no site processing, so no editable-install finder; the dependencies come from site-packages by path.
    site_packages = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(target), site_packages])}
    result = subprocess.run(
        [sys.executable, "-S", "-m", "wizard", "run", "--tree", "pinduoduo", "--answer", "role=merchant", "--defaults"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
