"""The case model and pipeline: reference data, vocabulary, strict loading, validation
and the ``Catalogue`` every later stage reads."""
