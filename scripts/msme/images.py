"""The image pipeline: photos become stripped, sRGB WebP variants; pages get social cards.

Every output is cached under a key made from everything that shapes it (source bytes,
settings, card text, font), so a rebuild with nothing changed processes no image at all.
Work runs in a process pool over the machine's cores.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from msme import atomic, cards, workers
from msme.paths import ROOT

MAX_BYTES = 20 * 1024 * 1024  # a phone photo is 2–8 MB; anything larger is a mistake or a scan
MAX_PIXELS = 50_000_000  # 50 MP; a decompression bomb declares far more and is refused unread
FORMATS = {"JPEG", "PNG", "WEBP", "TIFF", "GIF"}
# 240: list-card thumbnails; 480: open data; 640: the most a phone gets; 800: the default; 1200: a 2×
# desktop column (690 CSS pixels). No 1600: it was 40% of a photo's bytes and time for the few
# screens wider than that at 2.3× density.
WIDTHS = (240, 480, 640, 800, 1200)
QUALITY = 72
METHOD = 4  # libwebp's effort: 3 saves no time here, 5 and 6 cost 15% and 2× for 5% fewer bytes
SETTINGS = f"webp-q{QUALITY}-m{METHOD}-{'-'.join(map(str, WIDTHS))}-cascade-cards-edges{cards.EDGE_LEVELS}-v3"
RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif", ".heic", ".heif", ".bmp"}
GPS_IFD = 0x8825  # EXIF's GPS sub-directory: where the photo was taken
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height


class ImageProblem(ValueError):
    """An image that cannot be published; the message says why and how to fix it."""


@dataclass(frozen=True)
class SourceInfo:
    """A checked source photo: its display size (after EXIF rotation) and its output widths."""

    path: Path
    width: int
    height: int

    @property
    def widths(self) -> tuple[int, ...]:
        """Variant widths: the standard ones up to the photo's own width (never upscaled)."""
        ws = tuple(w for w in WIDTHS if w <= self.width)
        return ws or (self.width,)

    def height_at(self, width: int) -> int:
        """Height of the variant `width` pixels wide."""
        return max(1, round(self.height * width / self.width))


def inspect(path: Path, memo: DecodeMemo | None = None) -> SourceInfo:
    """Check a photo: its header first (size, format, pixels, location), then that it decodes in
    full, remembered by content hash in `memo` (default: the repository's); raise ImageProblem
    naming what is wrong and the fix."""
    if not path.is_file():
        raise ImageProblem(f"file {path.name!r} not found (put the photo next to the page or fix the name)")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImageProblem(
            f"{path.name!r} is {size / 2**20:.1f} MiB, over the {MAX_BYTES // 2**20} MiB limit "
            "(export it smaller, e.g. 3000 px wide as JPEG)"
        )
    # Pillow's own bomb guard would stop at open with a vaguer message; only the header is read
    # here, and anything over our (lower) limit is refused below before a pixel is decoded.
    guard, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with Image.open(path) as im:
            fmt, (w, h) = im.format, im.size
            if fmt not in FORMATS:
                raise ImageProblem(
                    f"{path.name!r} is {fmt}, which is not supported "
                    f"(save it as JPEG or PNG; supported: {', '.join(sorted(FORMATS))})"
                )
            if w * h > MAX_PIXELS:
                raise ImageProblem(
                    f"{path.name!r} is {w}×{h} pixels, over the {MAX_PIXELS // 10**6} megapixel "
                    "limit (resize it; a phone photo is about 12 megapixels)"
                )
            orientation = im.getexif().get(0x0112, 1)
            if records_location(im):
                raise ImageProblem(
                    f"{path.name!r} records where it was taken (a GPS position), which would be "
                    f"published with the repository (remove it: ./dev msme strip-location {_shown(path)})"
                )
        damage = (memo or default_memo()).damage(path)
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageProblem(
            f"{path.name!r} is not an image that can be read ({exc.__class__.__name__}); "
            "it may be corrupt or in an unsupported format (re-export it as JPEG)"
        ) from exc
    except OSError as exc:
        damage = _reason(exc)
    finally:
        Image.MAX_IMAGE_PIXELS = guard
    if damage:
        raise ImageProblem(f"{path.name!r} is damaged or incomplete ({damage}) (re-export it as JPEG)")
    return SourceInfo(path, h if orientation in _ROTATED else w, w if orientation in _ROTATED else h)


def _reason(exc: Exception) -> str:
    """Why a photo does not decode, in a few words and without nested brackets."""
    text = str(exc)
    if "truncated" in text.lower():
        return "the file ends before the picture does"
    return re.sub(r"\s*\(.*?\)", "", text).strip() or exc.__class__.__name__


def decode_damage(data: bytes) -> str:
    """'' when the image decodes to its last pixel, else why not (a truncated upload, a broken copy).

    A JPEG decodes at 1/8 scale: every block of compressed data is still read, twice as fast.
    Pillow's process-wide LOAD_TRUNCATED_IMAGES is forced off meanwhile: WeasyPrint (the booklet)
    turns it on when imported, and a truncated file would then pass as whole."""
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format == "JPEG":
                im.draft(im.mode, (max(1, im.width // 8), max(1, im.height // 8)))
            im.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        return _reason(exc)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return ""


DECODE_MEMO = ROOT / ".cache" / "validated-images.json"


class DecodeMemo:
    """Which photos decode in full, by the sha256 of their bytes, kept in one small JSON file so a
    warm `validate` decodes nothing again; the hash itself is memoised by path, size and mtime, so
    an unchanged photo is not even re-read."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.decoded: dict[str, str] = {}  # sha256 -> "" (decodes) or why not
        self.hashes: dict[str, list] = {}  # path -> [size, mtime_ns, sha256]
        self.changed = False
        try:
            raw = json.loads(file.read_text(encoding="utf-8")) if file else {}
        except (OSError, ValueError):
            raw = {}  # missing or unreadable: start afresh
        if isinstance(raw, dict) and raw.get("version") == self._version():
            self.decoded, self.hashes = raw.get("decoded", {}), raw.get("hashes", {})

    @staticmethod
    def _version() -> str:
        # Another decoder may judge a file differently; "strict": judgements made before decode_damage
        # forced LOAD_TRUNCATED_IMAGES off may have passed a truncated file.
        return f"pillow-{Image.__version__}-strict"

    def damage(self, path: Path) -> str:
        """decode_damage() of the file, from the memo when its bytes were judged before."""
        st = path.stat()
        known = self.hashes.get(str(path))
        if known and known[:2] == [st.st_size, st.st_mtime_ns] and known[2] in self.decoded:
            return self.decoded[known[2]]
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in self.decoded:
            self.decoded[digest] = decode_damage(data)
        self.hashes[str(path)] = [st.st_size, st.st_mtime_ns, digest]
        self.changed = True
        return self.decoded[digest]

    def save(self) -> None:
        """Write the memo if it learnt something, forgetting photos that no longer exist (so test
        folders do not pile up); a read-only checkout just goes without."""
        if not self.changed or self.file is None:
            return
        self.hashes = {p: v for p, v in self.hashes.items() if Path(p).is_file()}
        used = {v[2] for v in self.hashes.values()}
        self.decoded = {d: v for d, v in self.decoded.items() if d in used}
        data = {"version": self._version(), "decoded": self.decoded, "hashes": self.hashes}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_bytes(self.file, json.dumps(data, sort_keys=True).encode("utf-8"))
        except OSError:
            return
        self.changed = False


_default_memo: list[DecodeMemo] = []


def default_memo() -> DecodeMemo:
    """The repository's memo (.cache/validated-images.json), read once per process."""
    if not _default_memo:
        _default_memo.append(DecodeMemo(DECODE_MEMO))
    return _default_memo[0]


def _shown(path: Path) -> str:
    """A path as the reader typed it: relative to the working folder when inside it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def records_location(im: Image.Image) -> bool:
    """True when an open image carries a GPS position (EXIF GPS tags or XMP GPS fields)."""
    xmp = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp") or b""
    xmp = xmp.encode() if isinstance(xmp, str) else xmp
    return bool(im.getexif().get_ifd(GPS_IFD)) or b"GPSLatitude" in xmp or b"GPSLongitude" in xmp


def strip_location(path: Path) -> bool:
    """Remove the GPS position from a JPEG, PNG or WebP photo in place, keeping its pixels and
    its other metadata (orientation, camera); True when the file changed.

    A JPEG's compressed image data is copied untouched (only its EXIF and XMP segments are
    rewritten), so not one pixel changes. The new file replaces the old one once complete."""
    with Image.open(path) as im:
        if not records_location(im):
            return False
        if im.format not in {"JPEG", "PNG", "WEBP"}:
            raise ImageProblem(f"{path.name!r} is {im.format}; export it as JPEG without location data")
        exif = im.getexif()
        exif.pop(GPS_IFD, None)
        if im.format == "JPEG":
            exif_bytes = exif.tobytes()
            if len(exif_bytes) > 0xFFFF - 2:  # one JPEG segment's limit
                raise ImageProblem(f"{path.name!r} has more EXIF data than fits; export it again without location")
            data = _jpeg_with_exif(path.read_bytes(), exif_bytes)
        else:
            im.load()
            out = io.BytesIO()
            extra = {"icc_profile": im.info["icc_profile"]} if im.info.get("icc_profile") else {}
            lossless = {"lossless": True} if im.format == "WEBP" else {}
            im.save(out, format=im.format, exif=exif.tobytes(), **extra, **lossless)  # no XMP: it may hold GPS
            data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # never replace a photo with one still located
        if records_location(check):
            raise ImageProblem(f"{path.name!r}: its position could not be removed; export it again without location")
    atomic.write_bytes(path, data)
    return True


def _jpeg_with_exif(jpeg: bytes, exif: bytes) -> bytes:
    """A JPEG's bytes with its EXIF segment replaced by `exif` and any XMP segment dropped;
    everything else, the compressed image included, copied as it is."""
    out, pos = [jpeg[:2]], 2  # SOI
    while pos + 4 <= len(jpeg) and jpeg[pos] == 0xFF:
        if jpeg[pos + 1] == 0xFF:  # fill byte before a marker
            out.append(b"\xff")
            pos += 1
            continue
        marker = jpeg[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            break
        end = pos + 2 + int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
        payload = jpeg[pos + 4 : end]
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            out.append(b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif)
        elif not (marker == 0xE1 and payload.startswith(b"http://ns.adobe.com/xap/1.0/")):
            out.append(jpeg[pos:end])
        pos = end
    out.append(jpeg[pos:])
    return b"".join(out)


def to_srgb(im: Image.Image) -> Image.Image:
    """Convert any mode and colour profile to 8-bit sRGB (RGBA where the image has transparency)."""
    icc = im.info.get("icc_profile")
    if icc and im.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            out_mode = "RGBA" if im.mode == "RGBA" else "RGB"
            im = ImageCms.profileToProfile(im, src, ImageCms.createProfile("sRGB"), outputMode=out_mode)
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: fall through to a plain conversion
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.point(lambda v: v / 256).convert("L")  # 16-bit greyscale down to 8 bits
    transparent = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    mode = "RGBA" if transparent else "RGB"
    return im if im.mode == mode else im.convert(mode)  # convert() to the same mode copies every pixel


def process_photo(source: Path, widths: tuple[int, ...], out_dir: Path) -> int:
    """Write `<width>.webp` per width into out_dir: rotated upright, sRGB, no metadata. Returns bytes written."""
    with Image.open(source) as im:
        if im.format == "JPEG":
            # Decode at a reduced size where the largest variant allows it: 2–4× faster.
            orientation = im.getexif().get(0x0112, 1)
            sw, sh = im.size
            display_w = sh if orientation in _ROTATED else sw
            scale = max(widths) / display_w
            im.draft("RGB", (math.ceil(sw * scale), math.ceil(sh * scale)))
        im.load()
        ImageOps.exif_transpose(im, in_place=True)  # in place: an upright photo is not copied
        clean = to_srgb(im)  # may be `im` itself, so used before the file closes
        written = 0
        for width, variant in variants(clean, widths):
            target = out_dir / f"{width}.webp"
            # No exif/xmp/icc passed: the output carries pixels only.
            variant.save(target, format="WEBP", quality=QUALITY, method=METHOD)
            written += target.stat().st_size
    return written


def variants(clean: Image.Image, widths: Iterable[int]) -> Iterator[tuple[int, Image.Image]]:
    """Each width once, largest first, each resized from the one before it.

    A step down from the previous variant reads a fraction of the pixels a resize from the
    source would (a third of the resizing time) and looks the same: Lanczos from the next
    larger variant loses nothing visible, as the benchmark's PSNR against a full-size resize
    shows. The first step may start with a box reduction (`reducing_gap`), for sources that
    are not JPEG and so were not decoded at a reduced size."""
    previous = clean
    for width in sorted(set(widths), reverse=True):
        if width != previous.width:
            height = max(1, round(clean.height * width / clean.width))
            gap = 3.0 if previous is clean else None
            previous = previous.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=gap)
        yield width, previous


@dataclass(frozen=True)
class PhotoJob:
    """One source photo and where its variants go in the site (`<stem>-<width>.webp`)."""

    source: Path
    widths: tuple[int, ...]
    site_stem: str  # e.g. "stories/x/photo" -> stories/x/photo-800.webp

    def outputs(self) -> dict[str, str]:
        """Cache file name -> site path."""
        return {f"{w}.webp": f"{self.site_stem}-{w}.webp" for w in self.widths}


@dataclass(frozen=True)
class CardJob:
    """One social card and its site path."""

    card: cards.Card
    site_path: str

    def outputs(self) -> dict[str, str]:
        """Cache file name -> site path."""
        return {"card.png": self.site_path}


Job = PhotoJob | CardJob


def _font_digest() -> str:
    regular, bold = cards.font_files()
    return hashlib.sha256(regular.read_bytes() + bold.read_bytes()).hexdigest()


def source_digests(paths: Iterable[Path], cache_dir: Path) -> dict[Path, str]:
    """Content hash of each source photo, re-read only when its size or mtime changed.

    A warm build would otherwise read every photo in full (gigabytes at 1,000 stories) just to
    learn that nothing changed; the memo lives in the cache folder beside the outputs."""
    memo_file = cache_dir / "sources.json"
    memo = json.loads(memo_file.read_text(encoding="utf-8")) if memo_file.exists() else {}
    out, changed = {}, False
    for path in dict.fromkeys(paths):
        st = path.stat()
        known = memo.get(str(path))
        if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
            out[path] = known[2]
            continue
        out[path] = hashlib.sha256(path.read_bytes()).hexdigest()
        memo[str(path)] = [st.st_size, st.st_mtime_ns, out[path]]
        changed = True
    if changed:
        atomic.write_bytes(memo_file, json.dumps(memo).encode("utf-8"))
    return out


def job_key(job: Job, font_digest: str, source_digest: str = "") -> str:
    """Hash of everything that shapes the job's output (a photo's content by its digest)."""
    h = hashlib.sha256(SETTINGS.encode())
    if isinstance(job, PhotoJob):
        h.update((source_digest or hashlib.sha256(job.source.read_bytes()).hexdigest()).encode())
        h.update(repr(job.widths).encode())
    else:
        h.update(repr((job.card, cards.WIDTH, cards.HEIGHT, cards.TITLE_SIZES)).encode())
        h.update(font_digest.encode())
    return h.hexdigest()[:24]


def _produce(job: Job, dest: Path) -> int:
    """Run one job into a fresh cache folder, atomically: a failure leaves nothing behind."""
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=dest.parent))
    try:
        if isinstance(job, PhotoJob):
            process_photo(job.source, job.widths, tmp)
        else:
            cards.write(job.card, tmp / "card.png")
        try:
            tmp.rename(dest)
        except OSError:
            if not dest.is_dir():  # another build made the same output meanwhile: keep theirs
                raise
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sum(p.stat().st_size for p in dest.iterdir())


def _produce_safely(args: tuple[Job, Path]) -> tuple[int, str]:
    job, dest = args
    try:
        return _produce(job, dest), ""
    except Exception as exc:  # SIGTERM's Terminated is a SystemExit: workers.task ends the worker
        where = job.source if isinstance(job, PhotoJob) else job.site_path
        return 0, f"{where}: {exc.__class__.__name__}: {exc}"


@dataclass
class Stats:
    """What a run did."""

    processed: int = 0
    skipped: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        ratio = f" ({self.bytes_out / self.bytes_in:.1%} of input)" if self.bytes_in else ""
        return (
            f"images: {self.processed} processed, {self.skipped} skipped (cached), "
            f"{self.bytes_in:,} bytes in, {self.bytes_out:,} bytes out{ratio}"
        )


def _progress(total: int) -> Callable[[], None]:
    """A progress bar on a terminal when there is real work; silent in CI logs and pipes."""
    if total < 2 or not sys.stderr.isatty() or os.environ.get("CI"):
        return lambda: None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("Processing images", total=total)
    bar.start()

    def advance() -> None:
        bar.advance(task)
        if bar.finished:
            bar.stop()

    return advance


def run(jobs: Iterable[Job], site_dir: Path, cache_dir: Path, processes: int | None = None) -> Stats:
    """Produce every job (from cache when possible) and place its outputs in site_dir."""
    jobs = list(dict.fromkeys(jobs))
    cache_dir.mkdir(parents=True, exist_ok=True)
    font = _font_digest() if any(isinstance(j, CardJob) for j in jobs) else ""
    digests = source_digests((j.source for j in jobs if isinstance(j, PhotoJob)), cache_dir)
    keyed = [(job, cache_dir / job_key(job, font, digests.get(getattr(job, "source", None), ""))) for job in jobs]
    # Jobs with the same key (the same card text in two languages) are produced once.
    todo = list({dest: (job, dest) for job, dest in keyed if not dest.is_dir()}.values())
    stats = Stats(skipped=len(keyed) - len(todo))
    advance = _progress(len(todo))
    processes = processes or os.cpu_count() or 1
    results = []
    with workers.sigterm_stops():
        if len(todo) > 1 and processes > 1:
            with workers.pool(min(processes, len(todo))) as pool:
                for result in pool.map(partial(workers.task, _produce_safely), todo, chunksize=1):
                    results.append(result)
                    advance()
        else:
            for item in todo:
                results.append(_produce_safely(item))
                advance()
    for (job, _), (size, error) in zip(todo, results, strict=True):
        if error:
            stats.errors.append(error)
            continue
        stats.processed += 1
        stats.bytes_out += size
        if isinstance(job, PhotoJob):
            stats.bytes_in += job.source.stat().st_size
    if stats.errors:
        return stats
    folders: set[Path] = set()
    for job, dest in keyed:
        for cached, site_rel in job.outputs().items():
            target = site_dir / site_rel
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            atomic.link_or_copy(dest / cached, target)
    return stats


def is_raster(name: str) -> bool:
    """True for a photo or picture file that must never be published as it is."""
    return Path(name).suffix.lower() in RASTER_SUFFIXES
