"""`gongkai publish`: the last build's downloads into the download store, each one checked there.

The build leaves the store's share of the site in build/store/ (blobs.py), laid out as the store's keys.
Publishing lists the store with rclone (any of its backends: S3, Aliyun OSS, Tencent COS, R2, WebDAV...),
uploads the keys it lacks with `rclone copy --immutable` (a key that exists with other bytes is refused,
never overwritten), then hashes every key of the build in the store: with the backend's own SHA-256 where
it keeps one, else by downloading it. A key names its SHA-256, so the check needs nothing but the key. A URL
of the store that urls.lock lists must still be there. What was uploaded, already there or failed is data
(Published), worded once for the terminal by lines().
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..core import sitepaths
from ..core.blobstore import Downloads
from ..core.config import Settings
from ..core.errors import BuildError, UsageError
from .blobs import BUILD_BLOBS
from .urls import read_lock


@dataclass(frozen=True)
class Failure:
    key: str
    code: str  # "upload" (rclone could not copy it), "missing" (not in the store), "hash" (other bytes there)
    detail: str = ""  # the SHA-256 the store gave, or rclone's words


@dataclass
class Published:
    remote: str
    uploaded: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)  # in the store already: skipped
    checked: int = 0  # keys whose SHA-256 was read back from the store
    failed: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def publish_store(root: Path, settings: Settings, *, check: str = "all") -> Published:
    """Upload what the store lacks and check it; check "all" (every key the build names) or "new"."""
    downloads = settings.downloads
    if downloads is None:
        raise UsageError("gongkai.yml sets no downloads (url and remote): the site carries its own downloads")
    local = root / BUILD_BLOBS
    if not local.is_dir():
        raise UsageError(f"{BUILD_BLOBS.as_posix()}/ is missing: run `gongkai build` first")
    if shutil.which("rclone") is None:
        raise BuildError("rclone is not installed (apt-get install rclone): gongkai publish uploads with it")
    keys = sorted(p.relative_to(local).as_posix() for p in local.rglob("*") if p.is_file())
    done = Published(downloads.remote)
    there = _listing(downloads)
    done.present = [k for k in keys if k in there]
    done.uploaded = [k for k in keys if k not in there]
    if done.uploaded:
        copied = _rclone("copy", str(local), downloads.target(), "--immutable", "--no-traverse", files=done.uploaded)
        if copied.returncode != 0:
            there = _listing(downloads)  # which ones made it: the check below names the rest
            detail = _last_line(copied.stderr)
            done.failed += [Failure(k, "upload", detail) for k in done.uploaded if k not in there]
    failed = {f.key for f in done.failed}
    wanted = [k for k in (keys if check == "all" else done.uploaded) if k not in failed]
    found = _hashes(downloads, wanted)
    done.checked = len(found)
    for key in wanted:
        expected = key.split("/")[-2]  # blobs/sha256/<2 hex>/<sha256>/<name>
        if key not in found:
            done.failed.append(Failure(key, "missing"))
        elif found[key] != expected:
            done.failed.append(Failure(key, "hash", found[key]))
    done.failed += [Failure(k, "missing") for k in _locked_keys(root, downloads) if k not in there and k not in keys]
    return done


def _listing(downloads: Downloads) -> set[str]:
    """The keys the store holds under blobs/sha256/ (none yet: an empty set)."""
    out = _rclone("lsjson", "-R", "--files-only", "--no-mimetype", "--no-modtime", downloads.target(sitepaths.BLOBS))
    if out.returncode != 0:
        if "not found" in out.stderr:  # a new store: the folder is made by the first upload
            return set()
        raise BuildError(f"rclone could not list {downloads.target(sitepaths.BLOBS)}: {_last_line(out.stderr)}")
    return {sitepaths.BLOBS + item["Path"] for item in json.loads(out.stdout or "[]")}


def _hashes(downloads: Downloads, keys: list[str]) -> dict[str, str]:
    """key -> the SHA-256 of its bytes in the store: the backend's own hash where it keeps one, else the
    bytes downloaded and hashed by rclone."""
    if not keys:
        return {}
    found = _hashsum(downloads, keys)
    rest = [k for k in keys if k not in found]
    if rest:
        found.update(_hashsum(downloads, rest, "--download"))
    return found


def _hashsum(downloads: Downloads, keys: list[str], *flags: str) -> dict[str, str]:
    out = _rclone("hashsum", "sha256", *flags, downloads.target(), files=keys)
    found = {}
    for line in out.stdout.splitlines():
        digest, _, key = line.partition("  ")
        if len(digest) == 64 and key:
            found[key] = digest
    return found


def _locked_keys(root: Path, downloads: Downloads) -> list[str]:
    """The store's keys urls.lock lists: published once, they must stay."""
    return [path[len(downloads.url) :] for _, path, _ in read_lock(root) if path.startswith(downloads.url)]


def _rclone(*args: str, files: Iterable[str] | None = None) -> subprocess.CompletedProcess:
    """rclone with its own configuration (rclone.conf or RCLONE_CONFIG_* in the environment); files:
    the keys to act on, given in a list file (a command line would not hold thousands)."""
    with tempfile.TemporaryDirectory(prefix="gongkai-publish-") as tmp:
        extra: list[str] = []
        if files is not None:
            listed = Path(tmp) / "files"
            listed.write_text("".join(f"{k}\n" for k in files), encoding="utf-8")
            extra = ["--files-from-raw", str(listed)]
        command = ["rclone", *args, *extra]
        return subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), check=False)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip() and "NOTICE" not in line]
    return lines[-1][-200:] if lines else ""


WORDS = {
    "zh": {
        "uploaded": "上传了 {n} 个文件到 {remote}",
        "present": "{n} 个文件已在存储中，跳过",
        "checked": "逐个核对了 {n} 个文件的 SHA-256",
        "ok": "下载文件都已在存储中，字节无误：现在可以部署网站",
        "failed": "{n} 个文件没有通过：不要部署网站，先解决下面的问题再运行 gongkai publish",
        "upload": "{key}：上传失败（{detail}）",
        "missing": "{key}：存储中没有这个文件",
        "hash": "{key}：存储中的字节不对（SHA-256 是 {detail}）；键名的散列值才是正确的，删除它后重新上传",
    },
    "en": {
        "uploaded": "uploaded {n} file(s) to {remote}",
        "present": "{n} file(s) already in the store, skipped",
        "checked": "checked the SHA-256 of {n} file(s) in the store",
        "ok": "every download is in the store with its bytes: the site may be deployed now",
        "failed": "{n} file(s) failed: do not deploy the site; fix what follows and run gongkai publish again",
        "upload": "{key}: could not be uploaded ({detail})",
        "missing": "{key}: not in the store",
        "hash": "{key}: the store holds other bytes (SHA-256 {detail}); the key names the right one: delete it and "
        "publish again",
    },
}


def lines(done: Published, lang: str) -> list[str]:
    """What publishing did, in the reader's language: counts, then every failure on a line of its own."""
    w = WORDS[lang]
    out = [
        w["uploaded"].format(n=len(done.uploaded), remote=done.remote),
        w["present"].format(n=len(done.present)),
        w["checked"].format(n=done.checked),
    ]
    if done.ok:
        return [*out, w["ok"]]
    out.append(w["failed"].format(n=len(done.failed)))
    return out + ["  " + w[f.code].format(key=f.key, detail=f.detail) for f in done.failed]
