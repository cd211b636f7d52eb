"""Benchmark: a floor under `pdd-wizard check`: the work it cannot skip, done the fastest way found.

Issue 4's time target is 100,000 nodes in under 3 s. pdd-wizard loads a tree into its
model and checks the model (the wizard, the exports and the checker share that one
loader). This script measures the parts of that work which no checker of this design
can skip, each done the fastest way we found in CPython, each in a fresh process
(median of `--runs`):

- start: the interpreter, with the json and re modules (pdd-wizard's own imports cost more);
- parse: reading the file and `json.loads`;
- objects: making one object per record of the model, with no test at all: an
  instance with a dict per node and per option, a text object per text, a place
  per record, a tuple of options per question; all by `map` over C functions (the
  loader's compiled readers take no longer per record, and a bulk reader that made the
  questions by `map` was measured no faster);
- graph: successor lists by name, then the validator's own passes over plain lists
  (`_closure`, `_topological`): reachability from the start, reachability of an outcome,
  and a topological order;
- texts: one search of all texts, gathered beforehand, for a character E303 refuses.

The graph and text parts are the cheapest form of the reachability, cycle and text checks;
nothing else is checked.

Their sum is the floor. What is left of the target above it is all the checks may
cost: the tests of every value's type and of every key, every option's id and label,
the data flow of answers and conditions, and the findings' locations. The script
prints both, beside the command's own time (median of `--runs`).

    python benchmarks/bench_floor.py [--nodes 100000] [--runs 3]

Exit status 0: this script measures; it has no target of its own.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_check import TARGET_SECONDS, command, machine_speed, time_command  # noqa: E402
from generate import generate_tree_json  # noqa: E402

# Each part runs in a fresh interpreter, given the tree's file as argv[1], and prints its seconds.
_PRELUDE = """
import gc, json, sys, time
gc.disable()
"""
_PARSE = """
with open(sys.argv[1], encoding="utf-8") as stream:
    data = json.loads(stream.read())
"""
_TIMED_PARSE = "started = time.perf_counter()" + _PARSE + "seconds = time.perf_counter() - started"
_OBJECTS = """
from collections import deque
from itertools import chain, compress, islice, repeat
from operator import attrgetter, itemgetter

class Record:  # a record of the model: an instance dict
    pass

class Text:  # a text of the model: its languages in a slot
    __slots__ = ("texts",)

class Place:  # a record's location, left pending
    __slots__ = ("where",)

new, as_dict, set_text, set_place = object.__new__, attrgetter("__dict__"), Text.texts.__set__, Place.where.__set__

def records(datas, parent, keys, texts):
    made = list(map(new, repeat(Record, len(datas))))
    values = list(map(as_dict, made))
    deque(map(dict.update, values, datas), 0)
    for name in texts:
        written = list(map(dict.get, datas, repeat(name)))
        raw = list(compress(written, written))
        made_texts = list(map(new, repeat(Text, len(raw))))
        deque(map(set_text, made_texts, raw), 0)
        deque(map(dict.__setitem__, compress(values, written), repeat(name), made_texts), 0)
    places = list(map(new, repeat(Place, len(datas))))
    deque(map(set_place, places, zip(repeat(parent), keys)), 0)
    deque(map(dict.__setitem__, values, repeat("loc"), places), 0)
    return made

started = time.perf_counter()
nodes = data["nodes"]
ids = list(nodes)
datas = list(nodes.values())
questions = [n for n, d in enumerate(datas) if "options" in d]
option_lists = list(map(itemgetter("options"), map(datas.__getitem__, questions)))
counts = list(map(len, option_lists))
options = records(
    list(chain.from_iterable(option_lists)),
    None,
    chain.from_iterable(map(range, counts)),
    ("label", "help"),
)
made = records(datas, nodes, ids, ("prompt", "help", "title", "channel", "summary"))
tuples = map(tuple, map(islice, repeat(iter(options)), counts))
deque(map(dict.__setitem__, map(as_dict, map(made.__getitem__, questions)), repeat("options"), tuples), 0)
deque(map(dict.__setitem__, map(as_dict, made), repeat("id"), ids), 0)
seconds = time.perf_counter() - started
"""
_GRAPH = """
from collections import deque
from itertools import chain, islice, repeat
from operator import itemgetter

from wizard.rules.analysis import _closure, _topological  # the rules' own passes

started = time.perf_counter()
nodes = data["nodes"]
index = {key: number for number, key in enumerate(nodes)}
get = index.get
datas = list(nodes.values())
kinds = list(map(itemgetter("kind"), datas))
singles = [n for n, kind in enumerate(kinds) if kind == "single"]
option_lists = list(map(itemgetter("options"), map(datas.__getitem__, singles)))
counts = list(map(len, option_lists))
targets = map(get, map(itemgetter("next"), chain.from_iterable(option_lists)))
succ = [[] for _ in datas]
deque(map(succ.__setitem__, singles, map(list, map(islice, repeat(targets), counts))), 0)
for number, node in enumerate(datas):  # the few other nodes with edges: the generated tree's head
    if kinds[number] in ("multiple", "ladder", "route"):
        parts = chain(node.get("rungs", ()), node.get("branches", ()))
        names = [part["next"] for part in parts] + [node[name] for name in ("next", "exhausted") if name in node]
        succ[number] = list(map(get, names))
pred = [[] for _ in datas]
for source, targets in enumerate(succ):
    for target in targets:
        pred[target].append(source)

reach = _closure(succ, [index[data["start"]]], len(datas))
coreach = _closure(pred, [n for n, kind in enumerate(kinds) if kind == "outcome"], len(datas))
order = _topological(succ, None)
assert order is not None and len(order) == len(datas) and all(reach) and all(coreach)
seconds = time.perf_counter() - started
"""
_TEXTS = """
from itertools import chain, compress, repeat
from operator import itemgetter

from wizard.rules.texts import FORBIDDEN as _FORBIDDEN  # E303's characters

# The texts are gathered as the model's objects are made (the part above); here they are searched.
datas = list(data["nodes"].values())
dicts = []  # every text, as its mapping of language to text
for name in ("prompt", "help", "title", "channel", "summary"):
    written = list(map(dict.get, datas, repeat(name)))
    dicts.extend(compress(written, written))
options = list(chain.from_iterable(filter(None, map(dict.get, datas, repeat("options")))))
dicts.extend(map(itemgetter("label"), options))
started = time.perf_counter()
found = _FORBIDDEN.search("\\n".join(chain.from_iterable(map(dict.values, dicts))))
seconds = time.perf_counter() - started
"""
_START = "import json, re"

#: The parts, in the order the command does them: (name, what it is, the code that times it).
PARTS = [
    ("start", "start Python (json, re)", _START),
    ("parse", "read and parse the JSON", _PRELUDE + _TIMED_PARSE),
    ("objects", "make the model's objects, untested", _PRELUDE + _PARSE + _OBJECTS),
    ("graph", "graph passes", _PRELUDE + _PARSE + _GRAPH),
    ("texts", "search the texts", _PRELUDE + _PARSE + _TEXTS),
]


def time_part(code: str, file: Path, runs: int) -> float:
    """Median of the seconds the part prints, each run in a fresh interpreter; for the start,
    which prints nothing, the interpreter's whole run."""
    script = code if code == _START else code + "\nprint(seconds)\n"
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", script, str(file)], capture_output=True, text=True, check=True, cwd=ROOT
        )
        took = time.perf_counter() - started
        times.append(took if code == _START else float(done.stdout.split()[-1]))
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each part (median)")
    args = parser.parse_args()
    print(f"This machine: 10^7 additions in a Python loop take {machine_speed():.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / f"tree-{args.nodes}.json"
        file.write_text(generate_tree_json(args.nodes), encoding="utf-8")
        print(f"A generated tree of {args.nodes:,} nodes, {file.stat().st_size / 1e6:.1f} MB of JSON\n")
        print(f"{'part':<40}  {'s':>6}", flush=True)
        floor = 0.0
        for _, what, code in PARTS:
            seconds = time_part(code, file, args.runs)
            floor += seconds
            print(f"{what:<40}  {seconds:>6.2f}", flush=True)
        whole = time_command(file, args.runs)
    print(f"{'the floor, in all':<40}  {floor:>6.2f}")
    print(f"{'`' + ' '.join(Path(c).name for c in command()) + ' check`':<40}  {whole:>6.2f}")
    print(
        f"\nLeft for every check, within the target of {TARGET_SECONDS} s: {TARGET_SECONDS - floor:.2f} s; "
        f"the command spends {whole - floor:.2f} s on them."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
