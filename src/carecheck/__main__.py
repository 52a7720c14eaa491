"""`python -m carecheck`: the `carecheck` command line, where its script is not on PATH."""

import sys

from carecheck.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
