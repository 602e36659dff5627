"""Command line: ``python -m autograder COMMAND``.

    python -m autograder data [--mirror DIR] [--cache-dir DIR]
        Fetch and verify every pinned corpus file (for an offline class: run once, then copy
        the cache folder and point AUTOGRADER_DATA_MIRROR at it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def data_command(args: argparse.Namespace) -> int:
    from .data import SHAKESPEARE, TANG_POEMS, DataError, fetch

    files = [SHAKESPEARE, *TANG_POEMS]
    try:
        paths = [fetch(f, mirror=args.mirror, cache_dir=args.cache_dir) for f in files]
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    folders = sorted({str(p.parent) for p in paths})
    print(f"{len(paths)} corpus files present and verified (SHA-256) in:")
    for folder in folders:
        print(f"  {folder}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("data", help="fetch and verify the course's corpora")
    data.add_argument("--mirror", type=Path, help="read the corpora from this mirror folder")
    data.add_argument("--cache-dir", type=Path, help="download into this folder")
    data.set_defaults(func=data_command)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
