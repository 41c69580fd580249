"""Import time: ``import vmkit`` vs ``import httpx``, each in a fresh interpreter.

Every sample is one new ``python -c ...`` process, timed from outside (wall clock from
start to exit), with the same interpreter, environment and working directory. The
statements run in turn, in a rotated order each round so that drift on a noisy machine
spreads evenly, after a few unmeasured warm-up rounds (to fill the OS file cache):

* ``pass``: the interpreter's own start-up, subtracted from the others;
* ``import httpx``: the reference;
* ``import vmkit``: what the target is about (the package imports its names lazily);
* ``import vmkit; vmkit.Client``: the first real use, which loads the SDK (httpx,
  tenacity, attrs, the generated models), shown for information.

The report gives the median of each, the import cost (median minus the median of
``pass``), and the ratio of ``import vmkit``'s cost to ``import httpx``'s with the
verdict against the target: <= 1.5.

Run it with ``make bench`` or ``python bench/import_time.py --help``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

__all__ = ["main"]

TARGET = 1.5
STATEMENTS = {
    "pass": "pass",
    "httpx": "import httpx",
    "vmkit": "import vmkit",
    "vmkit.Client": "import vmkit; vmkit.Client",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--runs", type=int, default=41, help="measured runs of each (default 41)")
    p.add_argument("--warmup", type=int, default=3, help="unmeasured rounds first (default 3)")
    return p


def _time_once(statement: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", statement], capture_output=True, check=False, timeout=60
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"`{statement}` failed:\n{done.stderr.decode(errors='replace')}")
    return elapsed


def _measure(runs: int, warmup: int) -> dict[str, list[float]]:
    names = list(STATEMENTS)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for n in range(warmup + runs):
        shift = n % len(names)
        for name in names[shift:] + names[:shift]:
            elapsed = _time_once(STATEMENTS[name])
            if n >= warmup:
                samples[name].append(elapsed)
    return samples


def _report(samples: dict[str, list[float]]) -> float:
    medians = {name: statistics.median(times) for name, times in samples.items()}
    start_up = medians["pass"]
    for name, median in medians.items():
        times = samples[name]
        cost = "" if name == "pass" else f"   import cost {(median - start_up) * 1e3:7.1f} ms"
        print(
            f"{STATEMENTS[name]:<28} median {median * 1e3:7.1f} ms"
            f"   (min {min(times) * 1e3:6.1f}, max {max(times) * 1e3:6.1f}){cost}"
        )
    httpx_cost = medians["httpx"] - start_up
    ratios = {
        name: (medians[name] - start_up) / httpx_cost if httpx_cost > 0 else 0.0
        for name in ("vmkit", "vmkit.Client")
    }
    print(
        f"ratio import vmkit / import httpx (net of start-up): {ratios['vmkit']:.2f}  "
        f"(target <= {TARGET}: {'PASS' if ratios['vmkit'] <= TARGET else 'FAIL'})"
    )
    print(
        "ratio import vmkit; vmkit.Client / import httpx (net of start-up): "
        f"{ratios['vmkit.Client']:.2f}  (for information)"
    )
    return ratios["vmkit"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the medians and the ratio; returns the exit status."""
    args = _parser().parse_args(argv)
    print(
        f"fresh `{sys.executable} -c ...` processes, wall time from start to exit; "
        f"{args.runs} measured runs of each after {args.warmup} warm-up rounds, interleaved",
        flush=True,
    )
    _report(_measure(args.runs, args.warmup))
    return 0


if __name__ == "__main__":
    sys.exit(main())
