from eventhub.report import total_seats


def test_total(sample_rows: list[dict[str, int]]) -> None:
    assert total_seats(sample_rows) == 350
