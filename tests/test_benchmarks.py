"""The benchmark scripts run and print their ratio lines, on tiny trees (their times are not judged here);
the trees they generate keep their shape."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
#: A ratio line: what, the ratio (or n/a when it could not be measured), then its target and verdict.
RATIO_LINE = re.compile(
    r"^(?P<what>\S.*?) +(?:\d+\.\d\dx|n/a)  +(?:target <= \d+\.\d\dx  (?P<verdict>PASS|MISS)\b.*|measured only)$",
    re.MULTILINE,
)
#: Each script, and the ratio lines it prints in --quick mode.
RATIOS = {
    "bench_startup.py": ["first question / import floor"],
    "bench_run.py": ["scripted run / import floor"],
    "bench_check.py": [
        "check 1,000 / json.loads floor",
        "check 3,000 / check 1,000",
        "peak memory of check 1,000 / file size",
    ],
    "bench_broken.py": ["broken 4,000 / broken 1,000"],
    "bench_export.py": [f"export {name} / check, 1,000 nodes" for name in ("mermaid", "dot", "json")],
    "bench_html.py": ["page interactive / empty page of the same size", "step / one animation frame"],
    "bench_case.py": ["case list 100 / scripted run", "case next 10 contacts / scripted run"],
    "bench_shapes.py": [
        "chain: check 300 / check 100",
        "chain: show 300 / show 100",
        "escalation: check 300 / check 100",
        "wide: check 1,000 / check 333",
    ],
}


def module(name: str) -> ModuleType:
    """A module of benchmarks/, imported from its file (the folder is no package)."""
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = loaded  # where its dataclasses look themselves up
    spec.loader.exec_module(loaded)
    return loaded


generate = module("generate")


def bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--quick", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
@pytest.mark.parametrize(("script", "ratios"), RATIOS.items())
def test_each_benchmark_prints_its_ratio_lines(script: str, ratios: list[str]) -> None:
    done = bench(script, "--venv", sys.prefix)  # this environment's pdd-wizard: no installation to wait for
    assert done.returncode in (0, 1), done.stdout + done.stderr
    lines = list(RATIO_LINE.finditer(done.stdout))
    assert [line["what"] for line in lines] == ratios, done.stdout
    missed = any(line["verdict"] == "MISS" for line in lines)
    assert done.returncode == (1 if missed else 0), done.stdout


@pytest.mark.slow
def test_the_package_timed_is_installed_and_compiled() -> None:
    """Without --venv a script times this checkout installed into its own environment, every module compiled."""
    done = bench("bench_run.py")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert [line["what"] for line in RATIO_LINE.finditer(done.stdout)] == RATIOS["bench_run.py"]
    venv = module("harness").installed(None)  # built by the run above: found again, not built
    where = subprocess.run(
        [venv.python, "-c", "import wizard; print(wizard.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=venv.prefix,
    ).stdout.strip()
    package = Path(where).parent
    assert package.is_relative_to(venv.prefix), where  # not an editable install of the checkout
    tag = sys.implementation.cache_tag
    uncompiled = [p for p in package.rglob("*.py") if not (p.parent / "__pycache__" / f"{p.stem}.{tag}.pyc").exists()]
    assert uncompiled == []
    modules = {p.relative_to(package) for p in package.rglob("*.py")}
    assert modules >= {p.relative_to(ROOT / "wizard") for p in (ROOT / "wizard").rglob("*.py")}


def test_the_generated_tree_keeps_its_shape() -> None:
    """The bytes of the tree the benchmarks' numbers were first taken on, so that old and new numbers compare."""
    assert hashlib.sha256(generate.generate_tree_text(1000).encode()).hexdigest() == (
        "8f76505b0638da03246fdbb1655ffa5c0be338ea40d1b2e33b857eb145726eb2"
    )
    assert hashlib.sha256(generate.generate_tree_json(1000).encode()).hexdigest() == (
        "c68824c7402128b45a23ac3e1aae7916fac3dd85e3ab9cb01b864199b8b43ea0"
    )


@pytest.mark.parametrize("broken", [0, 100])
def test_the_yaml_and_the_json_are_one_tree(broken: int) -> None:
    as_yaml = yaml.load(generate.generate_tree_text(2000, broken), Loader=yaml.CSafeLoader)
    assert as_yaml == json.loads(generate.generate_tree_json(2000, broken))


def test_a_broken_tree_has_a_number_for_every_hundredth_label() -> None:
    nodes = json.loads(generate.generate_tree_json(10_000, broken=100))["nodes"]
    body = [option for key, node in nodes.items() if key.startswith("q") for option in node["options"]]
    numbers = [option["label"] for option in body if isinstance(option["label"], int)]
    assert numbers == list(range(100, len(body) + 1, 100))
    assert len(nodes) == len(json.loads(generate.generate_tree_json(10_000))["nodes"])


def test_the_shapes_have_their_size() -> None:
    chain = json.loads(generate.generate_shape_json("chain", 50))["nodes"]
    assert [key for key, node in chain.items() if node["kind"] == "multiple"] == [f"q{i}" for i in range(50)]
    escalation = json.loads(generate.generate_shape_json("escalation", 50))["nodes"]
    assert [node.get("escalates_to") for key, node in escalation.items() if key.startswith("o")] == [
        *(f"o{i}" for i in range(1, 50)),
        None,
    ]
    wide = json.loads(generate.generate_shape_json("wide", 50))["nodes"]
    assert len(wide["tried"]["options"]) == 50
    with pytest.raises(ValueError, match="unknown shape"):
        generate.generate_shape_json("round", 5)
