"""Measure the OCR detector on a corpus: ``python bench/evaluate_ocr.py [folder ...]``.

Without a folder it reads ``../shared/corpus`` beside the repository. See `edition.evaluate_ocr`.
"""

from edition.evaluate_ocr import main

if __name__ == "__main__":
    raise SystemExit(main())
