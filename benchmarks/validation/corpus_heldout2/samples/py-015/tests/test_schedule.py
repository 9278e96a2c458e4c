import datetime as dt

from rostr.model import Person, Shift
from rostr.schedule import build_rota, hours_by_person


def test_load_is_balanced():
    day = dt.date(2024, 3, 4)
    shifts = [Shift(day + dt.timedelta(days=i), dt.time(9), dt.time(17), "desk") for i in range(4)]
    rota = build_rota([Person("ana"), Person("ben")], shifts)
    assert hours_by_person(rota) == {"ana": 16.0, "ben": 16.0}
