"""``python -m edition``: the same as the ``edition`` command."""

from edition.cli import run

run()
