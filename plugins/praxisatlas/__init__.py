"""Praxisatlas: a catalogue of good digitalisation practice from German counties.

The package is plain Python; only ``plugin.py`` and ``config.py`` import MkDocs.
"""

__version__ = "0.1.0"
