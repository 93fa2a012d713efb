"""`python -m bench <benchmark> [options]`: one command per figure of docs/benchmarks.md."""
from __future__ import annotations

import importlib
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

COMMANDS = {
    "nlu": ("bench.nlu", "understanding: our model against the default `rasa init` pipeline"),
    "load": ("bench.load", "latency, throughput, errors, memory and start-up over REST"),
    "scale": ("bench.scale", "order lookups on 1,000,000 orders (SQLite, PostgreSQL), end to end"),
    "train": ("bench.train", "training time and model size, ours against the default pipeline"),
    "pipelines": ("bench.pipelines", "candidate NLU pipelines trained and scored side by side"),
    "profile": ("bench.profile", "where a message's time goes in both servers (py-spy)"),
    "reports": ("bench.reports", "the desk's support summary over 100,000 conversation sessions"),
}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print("usage: python -m bench <benchmark> [--help]\n")
        for name, (_, text) in COMMANDS.items():
            print(f"  {name:8} {text}")
        return 2
    module = importlib.import_module(COMMANDS[sys.argv[1]][0])
    return module.main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
