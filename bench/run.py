"""Conduct's benchmarks: `make bench` runs the page benchmark, `make load` the load test.

    .venv/bin/python bench/run.py [pages] [options]   every page's time and query count (bench/pages.py)
    .venv/bin/python bench/run.py letters [options]   letter and case-summary rendering (bench/letters.py)
    .venv/bin/python bench/load.py [options]          gunicorn under 50 users (bench/load.py)

`bench/run.py <command> --help` lists each one's options.
"""

import importlib
import sys
from pathlib import Path

COMMANDS = {"pages": "pages", "letters": "letters"}


def main() -> int:
    args = sys.argv[1:]
    command = args.pop(0) if args and args[0] in COMMANDS else "pages"
    if args[:1] in (["-h"], ["--help"]) and command == "pages" and sys.argv[1:2] != ["pages"]:
        print(__doc__)
    # Each benchmark configures Django for its own database before importing it, so the
    # chosen module is imported only now, with argv as if it had been run directly.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.argv = [f"{sys.argv[0]} {command}", *args]
    return importlib.import_module(COMMANDS[command]).main()


if __name__ == "__main__":
    sys.exit(main())
