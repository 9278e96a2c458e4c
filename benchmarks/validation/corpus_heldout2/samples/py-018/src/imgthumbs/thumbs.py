"""Generate thumbnails for a directory of images."""
from __future__ import annotations

import hashlib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import click
from PIL import Image, ImageOps
from pillow_smartcrop import smart_crop

SUPPORTED = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


def cache_name(src: Path, size: int) -> str:
    digest = hashlib.blake2b(str(src.resolve()).encode(), digest_size=8).hexdigest()
    return f"{src.stem}-{size}-{digest}.webp"


def make_thumb(src: Path, dest_dir: Path, size: int, crop: bool) -> Path:
    target = dest_dir / cache_name(src, size)
    if target.exists() and target.stat().st_mtime >= src.stat().st_mtime:
        return target
    with Image.open(src) as im:
        im = ImageOps.exif_transpose(im)
        if crop:
            im = smart_crop(im, (size, size))
        else:
            im.thumbnail((size, size), Image.Resampling.LANCZOS)
        if im.mode not in ("RGB", "RGBA"):
            im = im.convert("RGBA")
        im.save(target, "WEBP", quality=82, method=6)
    return target


def find_images(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in SUPPORTED and p.is_file())


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--size", default=256, show_default=True)
@click.option("--crop/--no-crop", default=False)
@click.option("--jobs", default=4, show_default=True)
def main(source: Path, dest: Path, size: int, crop: bool, jobs: int) -> None:
    """Write thumbnails of every image under SOURCE into DEST."""
    dest.mkdir(parents=True, exist_ok=True)
    images = find_images(source)
    if not images:
        click.echo("no images found", err=True)
        sys.exit(1)
    failed = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(make_thumb, p, dest, size, crop): p for p in images}
        for future, path in futures.items():
            try:
                future.result()
            except OSError as exc:
                failed += 1
                click.echo(f"{path}: {exc}", err=True)
    click.echo(f"{len(images) - failed} thumbnails written to {dest}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
