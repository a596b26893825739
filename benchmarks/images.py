"""Image pipeline benchmark (not run in CI): 50 fictional 4000×3000 phone photos, cold and warm.

./dev bench-images [--count 50] [--workers 0] [--repeat 1] [--photos DIR]

Besides speed it prints the bytes of each width and their fidelity (PSNR against a resize of the
fully decoded photo), so a faster pipeline cannot pass by quietly making worse pictures.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageOps, ImageStat

from benchmarks.corpus import phone_photo
from msme import images


def photo_jobs(sources: list[Path]) -> list[images.PhotoJob]:
    """One job per photo, with the widths the site would make of it."""
    return [images.PhotoJob(p, images.inspect(p).widths, f"photos/{p.stem}") for p in sources]


def timed_run(sources: list[Path], site: Path, cache: Path, workers: int | None = None) -> tuple[float, images.Stats]:
    """Wall seconds and stats of one `images.run` over the photos."""
    start = time.perf_counter()
    stats = images.run(photo_jobs(sources), site, cache, workers)
    return time.perf_counter() - start, stats


def photos_per_second(sources: list[Path], workers: int | None = None) -> float:
    """Cold processing rate of the photos: every variant made, from an empty cache, on `workers`
    processes (default: one per core)."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        seconds, stats = timed_run(sources, tmp / "site", tmp / "cache", workers)
    if stats.errors:
        raise RuntimeError("; ".join(stats.errors))
    return stats.processed / seconds


def psnr(a: Image.Image, b: Image.Image) -> float:
    """Peak signal-to-noise ratio of two RGB images of one size, in dB (higher: closer)."""
    mse = sum(v**2 for v in ImageStat.Stat(ImageChops.difference(a, b)).rms) / 3
    return 10 * math.log10(255**2 / mse) if mse else 99.0


def fidelity(source: Path, variants: dict[int, Path]) -> dict[int, float]:
    """PSNR of each published variant against a Lanczos resize of the whole, fully decoded photo."""
    with Image.open(source) as im:
        full = ImageOps.exif_transpose(im).convert("RGB")
    out = {}
    for width, path in variants.items():
        with Image.open(path) as variant:
            ref = full.resize(variant.size, Image.Resampling.LANCZOS)
            out[width] = psnr(variant.convert("RGB"), ref)
    return out


def sources(folder: Path, count: int) -> list[Path]:
    """`count` phone photos in `folder`, generated the first time only (a minute for 50)."""
    print(f"{count} photos of 4000×3000 with camera EXIF in {folder} (made when missing)…", flush=True)
    out = []
    for i in range(count):
        path = folder / f"photo-{i:03d}.jpg"
        out.append(path if path.is_file() else phone_photo(path, seed=i))
    return out


def main() -> None:
    """Generate the photos, run the pipeline cold (`--repeat` times) and warm, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--workers", type=int, default=0, help="0 = one process per core")
    parser.add_argument("--repeat", type=int, default=1, help="cold runs (the machine may be busy: take the best)")
    parser.add_argument("--photos", type=Path, help="keep the generated photos here and reuse them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        photos = sources(args.photos or tmp / "in", args.count)
        workers = args.workers or None
        rates = []
        for i in range(args.repeat):
            cold_s, cold = timed_run(photos, tmp / f"site{i}", tmp / f"cache{i}", workers)
            rates.append(cold.processed / cold_s)
            print(f"cold: {cold.processed} photos in {cold_s:.1f} s = {rates[-1]:.2f} photos/s", flush=True)
        if args.repeat > 1:
            print(f"cold, best of {args.repeat}: {max(rates):.2f} photos/s")
        warm_s, warm = timed_run(photos, tmp / "site0", tmp / "cache0", workers)
        print(f"warm: {warm.processed} processed, {warm.skipped} skipped in {warm_s:.2f} s")
        site = tmp / "site0/photos"
        out_bytes = sum(p.stat().st_size for p in site.glob("*.webp"))
        in_bytes = sum(p.stat().st_size for p in photos)
        print(
            f"bytes in {in_bytes:,} ({in_bytes / len(photos) / 2**20:.1f} MiB a photo), "
            f"bytes out {out_bytes:,} = {out_bytes / in_bytes:.1%} of input, "
            f"{out_bytes / len(photos) / 1024:.0f} KiB a photo"
        )
        sample = photos[:5]
        quality = [fidelity(p, {w: site / f"{p.stem}-{w}.webp" for w in images.inspect(p).widths}) for p in sample]
        for width in images.WIDTHS:
            sizes = [p.stat().st_size for p in site.glob(f"*-{width}.webp")]
            scores = [q[width] for q in quality if width in q]
            if not sizes or not scores:
                continue
            db = sum(scores) / len(scores)
            print(f"  {width:>5} px: {sum(sizes) / len(sizes) / 1024:.0f} KiB on average, PSNR {db:.1f} dB")


if __name__ == "__main__":
    main()
