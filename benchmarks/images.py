"""Image pipeline benchmark (not run in CI): 50 fictional phone photos with GPS EXIF, cold and warm.

./dev bench-images [--count 50] [--workers 0]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import phone_photo
from msme import images


def main() -> None:
    """Generate the photos, run the pipeline twice, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--workers", type=int, default=0, help="0 = one process per core")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        print(f"generating {args.count} photos of 4000×3000 with GPS EXIF…", flush=True)
        sources = [phone_photo(tmp / "in" / f"photo-{i:03d}.jpg", seed=i) for i in range(args.count)]
        jobs = [images.PhotoJob(p, images.inspect(p).widths, f"photos/{p.stem}") for p in sources]
        runs = {}
        for label in ("cold", "warm"):
            start = time.perf_counter()
            stats = images.run(jobs, tmp / "site", tmp / "cache", args.workers or None)
            runs[label] = (time.perf_counter() - start, stats)
        cold_s, cold = runs["cold"]
        warm_s, warm = runs["warm"]
        out_bytes = sum(p.stat().st_size for p in (tmp / "site").rglob("*.webp"))
        in_bytes = sum(p.stat().st_size for p in sources)
        print(f"cold: {cold.processed} photos in {cold_s:.1f} s = {cold.processed / cold_s:.2f} photos/s")
        print(f"warm: {warm.processed} processed, {warm.skipped} skipped in {warm_s:.2f} s")
        print(
            f"bytes in {in_bytes:,} ({in_bytes / len(sources) / 2**20:.1f} MiB a photo), "
            f"bytes out {out_bytes:,} = {out_bytes / in_bytes:.1%} of input"
        )
        for width in images.WIDTHS:
            sizes = [p.stat().st_size for p in (tmp / "site/photos").glob(f"*-{width}.webp")]
            print(f"  {width:>5} px: {sum(sizes) / len(sizes) / 1024:.0f} KiB on average")


if __name__ == "__main__":
    main()
