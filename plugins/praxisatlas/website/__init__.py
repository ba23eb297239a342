"""The browsable German site: case pages, index pages and the home-page figures.

Everything here produces Markdown (with HTML blocks whose every value is escaped) and
knows nothing of MkDocs; ``plugin.py`` adds the results to the build.
"""
