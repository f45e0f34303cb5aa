"""Resource paths stay inside the dataset folder, are never URLs, and name data/<resource>.csv."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath
from urllib.parse import urlparse

from ..core.config import Settings
from ..core.jsonlines import line_of, pointer
from ..core.problems import Problem
from ..read.load import DESCRIPTOR, Dataset
from ..read.schemaref import ALLOWED

REFERENCE_KEYS = ("schema", "dialect", "profile")


def check_paths(ds: Dataset, lines: dict[str, int], settings: Settings) -> Iterator[Problem]:
    if ds.descriptor is None:
        return
    file = ds.file(DESCRIPTOR)

    def problem(code: str, message: str, ptr: str, **params) -> Problem:
        return Problem(code, message, file, line=line_of(lines, ptr), field=ptr, dataset=ds.name, params=params)

    if isinstance(ds.descriptor.get("profile"), str):
        yield problem(
            "external-reference",
            "a profile reference is not allowed; gongkai applies its own profile",
            "/profile",
            rule="profile",
        )
    resources = ds.descriptor.get("resources")
    if not isinstance(resources, list):
        return
    seen: set[str] = set()
    for i, res in enumerate(resources):
        if not isinstance(res, dict):
            continue
        name = res.get("name")
        if isinstance(name, str) and name in seen:
            yield problem(
                "duplicate-resource",
                f'a second resource is named "{name}"; each resource needs its own name and file',
                pointer(["resources", i, "name"]),
                value=name,
            )
            continue
        if isinstance(name, str):
            seen.add(name)
        for key in REFERENCE_KEYS:
            if key == "schema" and i in ds.schema_refusals:  # load.py inlined the site's own schemas
                yield problem(
                    "external-reference",
                    f"{ds.schema_refusals[i]}; the one schema reference allowed is {ALLOWED}, else write it inline",
                    pointer(["resources", i, key]),
                )
            elif isinstance(res.get(key), str):
                yield problem(
                    "external-reference",
                    f"{key} must be written inline in datapackage.json, not referenced by path or URL",
                    pointer(["resources", i, key]),
                    key=key,
                )
        ptr = pointer(["resources", i, "path"])
        path = res.get("path")
        reason = _unsafe(path)
        if reason or not isinstance(path, str):  # _unsafe refuses every non-string
            rule = next(rule for rule, why in REASONS.items() if why == reason)
            yield problem(
                "unsafe-path", f"{path!r} {reason}; use data/<resource>.csv", ptr, rule=rule, value=repr(path)
            )
            continue
        expected = f"data/{res.get('name')}.csv"
        if path != expected:
            yield problem(
                "path-name-mismatch",
                f'path is "{path}" but resource "{res.get("name")}" must live at "{expected}"',
                ptr,
                path=path,
                name=res.get("name"),
                expected=expected,
            )
        full = ds.root / path
        if full.is_symlink() or (ds.root / "data").is_symlink():
            continue  # reported by the folder check
        if not full.is_file():
            yield problem("missing-file", f'"{path}" does not exist', ptr, rule="resource", path=path)
            continue
        size = full.stat().st_size
        if size > settings.limits.max_csv_bytes:
            yield Problem(
                "file-too-large",
                f"{size} bytes; the limit (limits.max_csv_bytes) is {settings.limits.max_csv_bytes}",
                ds.file(path),
                dataset=ds.name,
                params={"size": size, "limit": settings.limits.max_csv_bytes, "setting": "limits.max_csv_bytes"},
            )


def _unsafe(path) -> str | None:
    """Why a descriptor path could read outside the folder, or None if it is safe."""
    if not isinstance(path, str) or not path:
        return REASONS["not_a_path"]
    if urlparse(path).scheme:
        return REASONS["url"]
    if "\\" in path or path.startswith("~") or "$" in path or "%" in path:
        return REASONS["not_plain"]
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts:
        return REASONS["outside"]
    return None


# rule (the params' key for the Chinese wording, core/problemtext_zh.py) -> why, in English
REASONS = {
    "not_a_path": "is not a path (one relative path per resource)",
    "url": "is a URL; remote data is never fetched",
    "not_plain": "is not a plain relative POSIX path",
    "outside": "leaves the dataset folder",
}
