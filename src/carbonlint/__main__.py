"""``carbonlint`` (the installed command) and ``python -m carbonlint``.

The command keeps compiled regular expressions between runs (carbonlint.regex_cache) before it
imports anything that compiles one; ``import carbonlint.cli`` alone changes nothing in `re`.
"""

from __future__ import annotations

import sys


def main() -> int:
    from carbonlint import regex_cache

    regex_cache.install()
    from carbonlint.cli import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
