from newsroom.report import total_word_count


def test_total(sample_rows: list[dict[str, int]]) -> None:
    assert total_word_count(sample_rows) == 350
