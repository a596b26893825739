"""Obviously fictional test and benchmark material: phone-like photos with GPS EXIF, and stories.

Shared by the tests and every benchmark, so they all measure the same kind of content.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def phone_photo(
    path: Path, width: int = 4000, height: int = 3000, seed: int = 0, orientation: int = 1, *, gps: bool = False
) -> Path:
    """A JPEG that behaves like a phone photo: smooth areas, edges and noise, with camera model
    and serial number in EXIF and, with `gps`, where it was taken (all fictional). The site
    refuses a photo that records a position, so content corpora leave it out."""
    rng = random.Random(seed)
    small = Image.new("RGB", (width // 8, height // 8))
    draw = ImageDraw.Draw(small)
    top, bottom = [rng.randrange(40, 220) for _ in range(3)], [rng.randrange(20, 200) for _ in range(3)]
    for y in range(small.height):
        t = y / max(1, small.height - 1)
        draw.line(
            [(0, y), (small.width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    for _ in range(40):
        x, y = rng.randrange(small.width), rng.randrange(small.height)
        r = rng.randrange(5, max(6, small.width // 6))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    img = small.resize((width, height), Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(2))
    # Detail at several scales, as in a real photo: fine sensor noise and coarser texture.
    for scale, sigma, weight in ((1, 30, 0.12), (4, 60, 0.18), (16, 80, 0.18)):
        layer = Image.effect_noise((max(1, width // scale), max(1, height // scale)), sigma)
        layer = layer.resize((width, height), Image.Resampling.BICUBIC).convert("RGB")
        img = Image.blend(img, layer, weight)
    exif = Image.Exif()
    exif[0x010F] = "Fictional Phones Ltd"  # Make
    exif[0x0110] = "Imaginary X1"  # Model
    exif[0x0112] = orientation
    exif[0x0131] = "FictionalCam 1.0"  # Software
    exif.get_ifd(EXIF_IFD)[0xA431] = "SERIAL-0000-FICTIONAL"  # BodySerialNumber
    exif.get_ifd(EXIF_IFD)[0x9286] = b"ASCII\x00\x00\x00Fictional comment"  # UserComment
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (50.0, 50.0, 30.0), 3: "E", 4: (4.0, 21.0, 9.0), 5: 0, 6: 72.0})
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="JPEG", quality=92, exif=exif.tobytes())
    return path


def story_markdown(
    i: int,
    lang: str = "en",
    *,
    image: str | None = None,
    status: str = "published",
    countries: tuple[str, str] = ("ES", "BE"),
    sector: str = "C",
    translation_of: str | None = None,
) -> str:
    """Front matter and body of fictional story number i (an original, or a translation overlay)."""
    title = f"Fictional exchange {i}: Example Widgets {i} and Imaginary Tools {i}"
    if translation_of:
        return (
            f"---\ntranslation_of: {translation_of}\ntitle: '[{lang}] {title}'\n"
            f"summary: '[{lang}] A fictional benchmark story number {i}.'\n---\n\n"
            f"[{lang}] Fictional body of story {i}.\n"
        )
    img = (
        f"images:\n  - {{src: {image}, alt: A fictional photo of workshop {i}, credit: Fictional Photographer}}\n"
        if image
        else ""
    )
    return f"""---
title: "{title}"
summary: A fictional benchmark story number {i}, about two companies that do not exist.
status: {status}
published: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}
sending: {{name: Example Widgets {i}, country: {countries[0]}, sector: {sector}}}
host: {{name: Imaginary Tools {i}, country: {countries[1]}}}
duration_months: {1 + i % 6}
collaboration_types: [training]
activities: [Fictional activity one, Fictional activity two]
results: {{kind: expected, host: [A fictional result for the host]}}
{img}sources:
  - {{title: Fictional source, url: "https://example.org/fictional/{i}"}}
---

Example Widgets {i} is a fictional company. This story exists to test and measure the site.
"""


COUNTRIES = ["ES", "BE", "IT", "FR", "DE", "PL", "PT", "GR", "IE", "AT", "HR", "SI", "SK", "RS", "ME", "NL", "SE"]
SECTORS = ["A", "C", "G", "I", "J", "M", "N", "P", "R", "S"]


def write_corpus(docs: Path, n: int, langs: list[str], *, photos: int = 0, base: Path | None = None) -> Path:
    """A docs folder with `n` fictional stories, each translated into every language in `langs`
    (the first is the original's language); optionally a copy of `base` (the real docs) underneath.
    `photos` distinct phone photos are shared round-robin by the first stories."""
    import shutil

    from msme.content import file_digest

    if base is not None:
        shutil.copytree(base, docs, dirs_exist_ok=True)
    shots = [phone_photo(docs / "_photos" / f"p{i}.jpg", 1600, 1200, seed=i) for i in range(photos)]
    for i in range(n):
        folder = docs / "stories" / f"fictional-{i:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        image = None
        if shots:
            image = "photo.jpg"
            shutil.copyfile(shots[i % len(shots)], folder / image)
        pair = (COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i * 7 + 3) % len(COUNTRIES)])
        if pair[0] == pair[1]:
            pair = (pair[0], COUNTRIES[(i + 1) % len(COUNTRIES)])
        original = folder / "index.md"
        original.write_text(
            story_markdown(i, image=image, countries=pair, sector=SECTORS[i % len(SECTORS)]), encoding="utf-8"
        )
        digest = file_digest(original.read_bytes())
        for lang in langs[1:]:
            (folder / f"index.{lang}.md").write_text(story_markdown(i, lang, translation_of=digest), encoding="utf-8")
    if shots:
        shutil.rmtree(docs / "_photos")
    return docs
