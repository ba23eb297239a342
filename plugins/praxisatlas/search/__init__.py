"""The catalogue page: German full-text search (prebuilt lunr index) and filters."""
