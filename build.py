"""Build the sample edition: sources/ → tei/ and site/ (``python build.py``).

A thin entry point over the package: the same as ``edition build sources --out .``
run from this folder. Extra arguments are passed on (e.g. ``--no-validate``).
"""

import os
import sys
from pathlib import Path

from edition.cli import main

if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    os.chdir(here)  # so diagnostics name files relative to the project
    sys.exit(main(["build", "sources", "--out", ".", *sys.argv[1:]]))
