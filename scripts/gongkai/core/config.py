"""Site settings, read once from gongkai.yml into a typed, validated object.

Every error in the file is collected before aborting, so a forking city fixes them in one pass.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

from . import repofiles, safeyaml
from .blobstore import Downloads, downloads_from, stored_url
from .characters import CONTROL
from .errors import ConfigError
from .hosting import PRESETS, Hosting, hosting_from

SETTINGS_FILE = "gongkai.yml"
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Publisher:
    name: str
    slug: str
    url: str | None = None
    name_en: str = ""  # its name on the English pages


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    name_en: str = ""


@dataclass(frozen=True)
class Frequency:
    name: str
    days: int | None
    iso8601: str | None = None  # the repeating duration DCAT-US writes, e.g. R/P1M
    name_en: str = ""


# What the English pages show for a name in gongkai.yml: one table per kind of name.
NAME_KINDS = ("publisher", "topic", "frequency", "open_type", "licence")


@dataclass(frozen=True)
class Limits:
    max_csv_bytes: int
    max_descriptor_bytes: int
    preview_rows: int
    max_listed_problems: int
    # Bounds on what a pull request can make the build read or draw (docs/guide/security.md);
    # each has a default, so a fork's older gongkai.yml keeps working.
    max_fields: int = 1000  # fields (columns) per resource
    max_line_bytes: int = 1 << 20  # bytes in one physical CSV line
    max_cell_bytes: int = 1 << 20  # bytes in one CSV cell
    max_yaml_bytes: int = 1 << 20  # gongkai.yml, redirects.yml, withdrawn.yml, mkdocs.yml
    max_nesting: int = 32  # levels of nesting in any YAML file or datapackage.json
    max_view_bytes: int = 1 << 16  # one Vega-Lite view spec, as JSON
    max_view_pixels: int = 4000  # width and height of a chart
    max_view_steps: int = 10000  # a sequence's length, a tick count, a bin count
    view_seconds: int = 60  # time to draw one dataset's charts
    view_megabytes: int = 2048  # memory the chart renderer may use
    explorer_rows: int = 50000  # rows the table explorer of a dataset page reads; beyond it, the first ones
    search_values_per_column: int = 5000  # distinct values of a column the search index holds (the first ones)


@dataclass(frozen=True)
class Settings:
    root: Path
    site_name: str
    site_url: str
    site_description: str
    language: str
    repository: str
    operator_name: str
    operator_url: str
    operator_note: str
    operator_email: str
    default_publisher: str
    publishers: tuple[Publisher, ...]
    topics: tuple[Topic, ...]
    update_frequencies: tuple[Frequency, ...]
    open_types: tuple[str, ...]
    limits: Limits
    site_name_en: str = ""  # the site's name on the English pages
    home_headline: str = ""  # "<dataset>/<resource>" whose rows are the home page's headline figures
    home_charts: tuple[str, ...] = ()  # "<dataset>/<view>" charts on the home page
    operator_name_en: str = ""  # the operator's name on the English pages (the footer)
    names_en: dict[str, dict[str, str]] = field(default_factory=dict, hash=False)  # kind -> Chinese name -> English
    # What `gongkai new` writes into a new dataset (new_dataset in gongkai.yml): license,
    # update_frequency, open_type; and each licence's title and path by its name.
    new_dataset: dict[str, str] = field(default_factory=dict, hash=False)
    licence_details: dict[str, dict[str, str]] = field(default_factory=dict, hash=False)
    hosting: Hosting = PRESETS["github-pages"]  # the host's limits the built site is measured against
    downloads: Downloads | None = None  # the download store (core/blobstore.py); None: downloads stay on the site

    def localise(self, kind: str, value: str, lang: str = "zh") -> str:
        """A publisher's, topic's, update frequency's, open type's or licence's name (a licence by
        its `name`, such as CC-BY-4.0) in the page's language; the name itself where gongkai.yml
        gives no English one, and on the Chinese pages."""
        if kind not in NAME_KINDS:
            raise KeyError(f"no names of kind {kind!r}; one of {', '.join(NAME_KINDS)}")
        if lang == "zh":
            return value
        return self.names_en.get(kind, {}).get(value) or value

    @property
    def datasets_dir(self) -> Path:
        return self.root / "datasets"

    def publisher(self, name: str) -> Publisher | None:
        return next((p for p in self.publishers if p.name == name), None)

    def topic(self, name: str) -> Topic | None:
        return next((t for t in self.topics if t.name == name), None)

    def url_for(self, path: str) -> str:
        """Absolute URL of a site path such as 'datasets/x/x.csv'."""
        return self.site_url + path.lstrip("/")

    def download_url(self, path: str, sha256: str) -> str:
        """Absolute URL of a download or version file with these bytes: in the store when one is set."""
        return stored_url(self.downloads, path, sha256) or self.url_for(path)


_LIMIT_DEFAULTS = {f.name: f.default for f in fields(Limits) if f.default is not MISSING}


class _Reader:
    """Reads typed values out of the YAML tree, collecting every error."""

    def __init__(self, data: dict, file: Path):
        self.data = data
        self.file = file
        self.errors: list[str] = []

    def get(self, dotted: str, kind: type | tuple, default=...):
        node = self.data
        for key in dotted.split("."):
            if not isinstance(node, dict) or key not in node:
                if default is not ...:
                    return default
                self.errors.append(f"{dotted}: missing")
                return kind() if isinstance(kind, type) else None
            node = node[key]
        if not isinstance(node, kind) or isinstance(node, bool) and kind is int:
            self.errors.append(f"{dotted}: expected {getattr(kind, '__name__', kind)}, got {node!r}")
            return kind() if isinstance(kind, type) else None
        return node


def _control_characters(node, where: str) -> list[str]:
    """Settings reach every page, the feed and the catalogs: a control character, a bidi
    control or a noncharacter in one is refused as in a dataset (characters.py decides)."""
    if isinstance(node, str):
        m = CONTROL.search(node)
        return [f"{where or 'a key'}: contains the control character U+{ord(m.group()):04X}; delete it"] if m else []
    if isinstance(node, dict):
        return [
            e
            for key, value in node.items()
            for e in _control_characters(str(key), where) + _control_characters(value, f"{where}.{key}".lstrip("."))
        ]
    if isinstance(node, list):
        return [e for i, item in enumerate(node) for e in _control_characters(item, f"{where}[{i}]")]
    return []


def _name(entry) -> str:
    return str(entry.get("name", "")) if isinstance(entry, dict) else str(entry)


def _new_dataset_errors(settings: Settings) -> list[str]:
    """new_dataset names what gongkai.yml lists: a licence with its title and path, a frequency, an open type."""
    given, errors = settings.new_dataset, []
    allowed = {
        "license": [n for n, d in settings.licence_details.items() if "title" in d and "path" in d],
        "update_frequency": [f.name for f in settings.update_frequencies],
        "open_type": list(settings.open_types),
    }
    for key, value in given.items():
        if key not in allowed:
            errors.append(f"new_dataset.{key}: not a setting (one of {', '.join(allowed)})")
        elif value not in allowed[key]:
            errors.append(f"new_dataset.{key}: {value!r} is not one of {', '.join(allowed[key])}")
    return errors


def load_settings(root: Path) -> Settings:
    file = root / SETTINGS_FILE
    try:
        data = safeyaml.load(repofiles.read_text(root, SETTINGS_FILE))
    except FileNotFoundError:
        raise ConfigError(f"{file}: the site settings file is missing") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{file}: not UTF-8 (byte {exc.start})") from None
    except safeyaml.YamlRefused as exc:
        raise ConfigError(f"{file}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{file}: expected a mapping at the top level")
    r = _Reader(data, file)
    r.errors += _control_characters(data, "")

    url = r.get("site.url", str)
    if url and not re.match(r"^https?://[^/]+(/.*)?$", url):
        r.errors.append(f"site.url: not an http(s) URL: {url!r}")
    url = url if url.endswith("/") else url + "/"

    publishers = tuple(
        Publisher(
            name=str(p.get("name", "")),
            slug=str(p.get("slug", "")),
            url=p.get("url"),
            name_en=str(p.get("name_en", "")),
        )
        for p in r.get("publishers", list)
        if isinstance(p, dict)
    )
    topics = tuple(
        Topic(name=str(t.get("name", "")), slug=str(t.get("slug", "")), name_en=str(t.get("name_en", "")))
        for t in r.get("topics", list)
        if isinstance(t, dict)
    )
    for kind, items in (("publishers", publishers), ("topics", topics)):
        for item in items:
            if not item.name or not SLUG.match(item.slug):
                r.errors.append(f"{kind}: {item.name!r} needs a name and an ASCII slug, got {item.slug!r}")
        for attr in ("name", "slug"):
            values = [getattr(i, attr) for i in items]
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                r.errors.append(f"{kind}: duplicate {attr}: {', '.join(dupes)}")

    frequencies = tuple(
        Frequency(
            name=str(f.get("name", "")), days=f.get("days"), iso8601=f.get("iso8601"), name_en=str(f.get("name_en", ""))
        )
        for f in r.get("update_frequencies", list)
        if isinstance(f, dict)
    )
    open_types = r.get("open_types", list)  # names, or {name, name_en}
    licences = [x for x in r.get("licenses", list, []) if isinstance(x, dict)]  # {name (its id), name_en}
    names_en = {
        "publisher": {p.name: p.name_en for p in publishers if p.name_en},
        "topic": {t.name: t.name_en for t in topics if t.name_en},
        "frequency": {f.name: f.name_en for f in frequencies if f.name_en},
        "open_type": {_name(o): str(o["name_en"]) for o in open_types if isinstance(o, dict) and o.get("name_en")},
        "licence": {str(x.get("name", "")): str(x["name_en"]) for x in licences if x.get("name_en")},
    }
    limits = Limits(
        max_csv_bytes=r.get("limits.max_csv_bytes", int),
        max_descriptor_bytes=r.get("limits.max_descriptor_bytes", int),
        preview_rows=r.get("limits.preview_rows", int),
        max_listed_problems=r.get("limits.max_listed_problems", int),
        **{name: r.get(f"limits.{name}", int, default) for name, default in _LIMIT_DEFAULTS.items()},
    )
    for name, value in vars(limits).items():
        if value <= 0:
            r.errors.append(f"limits.{name}: must be a positive number, got {value!r}")
    settings = Settings(
        root=root,
        site_name=r.get("site.name", str),
        site_url=url,
        site_description=r.get("site.description", str, ""),
        language=r.get("site.language", str, "zh"),
        repository=r.get("site.repository", str, "").rstrip("/"),
        operator_name=r.get("operator.name", str),
        operator_url=r.get("operator.url", str, ""),
        operator_note=r.get("operator.note", str, ""),
        operator_email=r.get("operator.email", str, ""),
        default_publisher=r.get("default_publisher", str),
        publishers=publishers,
        topics=topics,
        update_frequencies=frequencies,
        open_types=tuple(_name(o) for o in open_types),
        limits=limits,
        site_name_en=r.get("site.name_en", str, ""),
        home_headline=r.get("home.headline", str, ""),
        home_charts=tuple(str(c) for c in r.get("home.charts", list, [])),
        operator_name_en=r.get("operator.name_en", str, ""),
        names_en=names_en,
        new_dataset={str(k): str(v) for k, v in r.get("new_dataset", dict, {}).items()},
        licence_details={
            str(x.get("name", "")): {k: str(x[k]) for k in ("title", "path") if x.get(k)} for x in licences
        },
        hosting=hosting_from(r.get("hosting", dict, {}), r.errors),
        downloads=downloads_from(data.get("downloads"), r.errors),
    )
    r.errors += _new_dataset_errors(settings)
    if settings.default_publisher and not settings.publisher(settings.default_publisher):
        r.errors.append(f"default_publisher: {settings.default_publisher!r} is not in publishers")
    if r.errors:
        raise ConfigError(f"{file}: " + "; ".join(r.errors))
    return settings
