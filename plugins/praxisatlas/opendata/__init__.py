"""Open data published under ``/daten/``: exports, Atom feeds and the published JSON Schemas."""
