"""Problems as data: what validation finds, with where it is, rendered once at the edge."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field

from .problemcodes import SEVERITIES, refusal


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file.

    `file` is relative to the repository root (datasets/<name>/...). `line` is the physical
    line on which the record or JSON value starts (header = 1). `field` is a field name for
    table problems and a JSON pointer for metadata problems.
    """

    code: str
    message: str
    file: str
    line: int | None = None
    field: str | None = None
    dataset: str | None = None
    severity: str = "error"  # "warning": shown, counted, but does not stop the build
    # The facts behind the message (value, type, property...), which core/problemtext.py words in
    # the reader's language; the English `message` stays for JSON readers and logs.
    params: dict = dataclasses.field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # A code the registry lacks has no entry in the maintainer's guide: a bug, so it fails loudly.
        allowed = SEVERITIES.get(self.code)
        if allowed is None or self.severity not in allowed:
            raise ValueError(f"{self.file}: {refusal(self.code, self.severity)}")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        note = "warning: " if not self.is_error else ""
        return f"{where}: {what}{note}{self.message} [{self.code}]"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    """Everything validation found, for one or more datasets."""

    problems: list[Problem] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    # file -> field name -> its title, where they differ: the header the maintainer wrote before
    # `gongkai new` named the column, shown beside the name (validator.finish_report)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def problem_count(self) -> int:
        return len(self.errors)

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    def flatten(self, keys: list[str], *, warnings: bool = False) -> list[list]:
        """Errors (or warnings) as rows of the given attributes, for tests and tools."""
        chosen = self.warnings if warnings else self.errors
        return [[getattr(p, k) for k in keys] for p in chosen]

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "datasets": self.datasets,
            "problem_count": self.problem_count,
            "warning_count": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        }
