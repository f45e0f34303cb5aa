"""The one small exception tree, rendered once at the CLI edge.

Bad data is never an exception: it is a Problem in a Report (see problems.py).
These are for input that cannot be used at all, and for a build that failed.
"""

from __future__ import annotations


class GongkaiError(Exception):
    """Base of every error gongkai raises on purpose."""

    exit_code = 1


class ConfigError(GongkaiError):
    """The site settings file cannot be used."""


class UsageError(GongkaiError):
    """The command was called wrongly (unknown dataset, bad option)."""

    exit_code = 2


class InvalidData(GongkaiError):
    """Validation found problems; the report says which."""

    def __init__(self, report):
        super().__init__(f"{report.problem_count} problem(s) found")
        self.report = report


class BuildError(GongkaiError):
    """A build stage after validation failed (export, site generator)."""
