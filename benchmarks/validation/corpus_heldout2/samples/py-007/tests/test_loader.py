import datetime as dt

from cfgkit import loads


def test_yaml_with_date():
    cfg = loads("start: '@date 2024-02-01T10:00:00'\n", "yaml")
    assert cfg["start"] == dt.datetime(2024, 2, 1, 10, 0)


def test_toml():
    assert loads('a = 1\n[b]\nc = "x"\n', "toml") == {"a": 1, "b": {"c": "x"}}
