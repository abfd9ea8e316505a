"""Measure the page-break and footnote detectors on a gold corpus: ``python bench/evaluate.py [folder ...]``.

Without a folder it reads ``../shared/corpus`` beside the repository. See `edition.evaluate`.
"""

from edition.evaluate import main

if __name__ == "__main__":
    raise SystemExit(main())
