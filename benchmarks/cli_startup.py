"""How long ``claimx --help`` (and the other light commands) take to start, against bare Python.

    python benchmarks/cli_startup.py [--runs 5]

Prints the median wall time of ``python -c pass`` (the baseline, measured in the
same run) and of each command, and the ratio. The target of issue 11: these
commands import neither openai, instructor, vcr nor scipy, so they start in a
small multiple of the baseline. ``PYTHONPATH`` picks the claimx tree to measure.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "claimx --help": ["-m", "claimx", "--help"],
    "claimx --version": ["-m", "claimx", "--version"],
    "claimx prompts": ["-m", "claimx", "prompts"],
    "claimx check-gold": ["-m", "claimx", "check-gold", str(ROOT / "eval" / "gold")],
}


def median_s(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    base = median_s(COMMANDS["python -c pass"], runs)
    print(f"median of {runs} runs")
    for name, args in COMMANDS.items():
        took = base if name == "python -c pass" else median_s(args, runs)
        print(f"  {name:20} {took * 1000:7.0f} ms  {took / base:6.1f}x python -c pass")


if __name__ == "__main__":
    main()
