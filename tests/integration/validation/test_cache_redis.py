"""The cache shared through a real Redis: a second engine never re-checks an unchanged file."""

from __future__ import annotations

from pathlib import Path

import pytest

from claude_tui.validation import ResultCache, validate_path
from claude_tui.validation.cache import DiskLayer, MemoryLayer, RedisLayer
from servers import RedisServer


@pytest.mark.redis
def test_redis_layer_serves_other_processes(tmp_path: Path, redis_server: RedisServer) -> None:
    (tmp_path / "a.py").write_text("def f():\n    pass\n")
    first = ResultCache([MemoryLayer(), RedisLayer(redis_server.url)])
    report = validate_path(tmp_path, cache=first)
    assert (report.files_from_cache, len(report.findings)) == (0, 1)

    other = ResultCache([MemoryLayer(), RedisLayer(redis_server.url)])
    again = validate_path(tmp_path, cache=other)
    assert again.files_from_cache == 1
    assert other.hits["redis"] == 1
    assert [f.rule for f in again.findings] == [f.rule for f in report.findings]
    # the hit was copied into memory: the next lookup does not reach Redis
    validate_path(tmp_path, cache=other)
    assert other.hits == {"memory": 1, "redis": 1}


def test_disk_layer_survives_the_process(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.py").write_text("import nosuchthingzz\n")
    disk = tmp_path / "cache"
    validate_path(source, cache=ResultCache([MemoryLayer(), DiskLayer(disk)]))
    fresh = ResultCache([MemoryLayer(), DiskLayer(disk)])
    report = validate_path(source, cache=fresh)
    assert fresh.hits["disk"] == 1
    assert report.findings[0].rule == "imports.unresolved"


def test_unreachable_redis_costs_speed_not_correctness(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    cache = ResultCache([RedisLayer("redis://127.0.0.1:1/0")])
    assert validate_path(tmp_path, cache=cache).findings == []
    assert cache.misses == 1
