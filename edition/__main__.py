"""``python -m edition``: the same as the ``edition`` command."""

import sys

from edition.cli import main

sys.exit(main())
