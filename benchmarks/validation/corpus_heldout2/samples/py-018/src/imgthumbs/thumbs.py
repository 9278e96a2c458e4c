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


def contact_sheet(thumbs: list[Path], out: Path, columns: int = 6, cell: int = 256, margin: int = 8) -> Path:
    """Paste thumbnails into one grid image, row by row."""
    if not thumbs:
        raise ValueError("no thumbnails to arrange")
    rows = (len(thumbs) + columns - 1) // columns
    width = columns * (cell + margin) + margin
    height = rows * (cell + margin) + margin
    sheet = Image.new("RGB", (width, height), "white")
    for i, path in enumerate(thumbs):
        with Image.open(path) as im:
            im = im.convert("RGB")
            x = margin + (i % columns) * (cell + margin) + (cell - im.width) // 2
            y = margin + (i // columns) * (cell + margin) + (cell - im.height) // 2
            sheet.paste(im, (x, y))
    sheet.save(out, quality=85)
    return out


def prune_cache(dest_dir: Path, keep: set[str]) -> int:
    """Remove cached thumbnails whose names are not in `keep`."""
    removed = 0
    for p in dest_dir.glob("*.webp"):
        if p.name not in keep:
            p.unlink()
            removed += 1
    return removed


def find_images(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in SUPPORTED and p.is_file())


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--size", default=256, show_default=True)
@click.option("--crop/--no-crop", default=False)
@click.option("--jobs", default=4, show_default=True)
@click.option("--sheet", type=click.Path(dir_okay=False, path_type=Path), help="also write a contact sheet")
@click.option("--prune", is_flag=True, help="delete cached thumbnails of images that are gone")
def main(source: Path, dest: Path, size: int, crop: bool, jobs: int, sheet: Path | None, prune: bool) -> None:
    """Write thumbnails of every image under SOURCE into DEST."""
    dest.mkdir(parents=True, exist_ok=True)
    images = find_images(source)
    if not images:
        click.echo("no images found", err=True)
        sys.exit(1)
    failed = 0
    written: list[Path] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(make_thumb, p, dest, size, crop): p for p in images}
        for future, path in futures.items():
            try:
                written.append(future.result())
            except OSError as exc:
                failed += 1
                click.echo(f"{path}: {exc}", err=True)
    click.echo(f"{len(written)} thumbnails written to {dest}")
    if prune:
        removed = prune_cache(dest, {p.name for p in written})
        click.echo(f"{removed} stale thumbnails removed")
    if sheet is not None and written:
        contact_sheet(written, sheet, cell=size)
        click.echo(f"contact sheet: {sheet}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
