"""edition: plain-text historical sources → TEI P5 → a static scholarly website."""

__version__ = "0.1.0"
