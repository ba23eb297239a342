"""Subcommands of the ``praxisatlas`` CLI, discovered by module.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
"""
