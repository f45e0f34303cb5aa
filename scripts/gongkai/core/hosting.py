"""Where the site is served and what that host accepts (`hosting` in gongkai.yml).

A preset gives a host's published limits; gongkai.yml may set any of them itself (a number of
bytes or files, or null for no limit). The build measures the site it made against them
(publish/budget.py): over a limit, nothing is published; near one (`warn_share` of it), a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MB = 1024 * 1024


@dataclass(frozen=True)
class Hosting:
    preset: str
    max_site_bytes: int | None  # the whole site
    max_files: int | None  # files in the site
    max_file_bytes: int | None  # one file
    warn_share: float = 0.8  # a warning from this share of a limit on


PRESETS = {
    # GitHub Pages: a published site may be no larger than 1 GB; git refuses files over 100 MiB.
    "github-pages": Hosting("github-pages", max_site_bytes=1_000_000_000, max_files=None, max_file_bytes=100 * MB),
    # Cloudflare Pages: 20,000 files per site, 25 MiB per file.
    "cloudflare-pages": Hosting("cloudflare-pages", max_site_bytes=None, max_files=20_000, max_file_bytes=25 * MB),
    # A host of one's own (object storage, a web server): no limit unless gongkai.yml sets one.
    "none": Hosting("none", max_site_bytes=None, max_files=None, max_file_bytes=None),
}
LIMITS = ("max_site_bytes", "max_files", "max_file_bytes")


def hosting_from(section: dict, errors: list[str]) -> Hosting:
    """The `hosting` section read: its preset (github-pages by default) with the limits it sets."""
    name = section.get("preset", "github-pages")
    if name not in PRESETS:
        errors.append(f"hosting.preset: {name!r} is not one of {', '.join(PRESETS)}")
        name = "github-pages"
    hosting = PRESETS[name]
    for key in section:
        if key not in (*LIMITS, "preset", "warn_share"):
            errors.append(f"hosting.{key}: not a setting (one of preset, warn_share, {', '.join(LIMITS)})")
    limits: dict[str, int | None] = {k: getattr(hosting, k) for k in LIMITS}
    for key in LIMITS:
        if key in section:
            value = section[key]
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
                errors.append(f"hosting.{key}: a positive whole number or null, got {value!r}")
            else:
                limits[key] = value
    hosting = replace(
        hosting,
        max_site_bytes=limits["max_site_bytes"],
        max_files=limits["max_files"],
        max_file_bytes=limits["max_file_bytes"],
    )
    share = section.get("warn_share", hosting.warn_share)
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        errors.append(f"hosting.warn_share: a share between 0 and 1, got {share!r}")
    else:
        hosting = replace(hosting, warn_share=float(share))
    return hosting
