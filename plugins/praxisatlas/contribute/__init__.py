"""Tools for contributors and editors: the new-case wizard, the issue forms, the issue
import and the editorial report."""
