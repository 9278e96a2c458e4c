import datetime as dt

from clinic.sms import Appointment, MockSmsGateway, send_reminders


def test_only_next_24h():
    now = dt.datetime(2024, 5, 1, 9, 0)  # outside quiet hours
    gw = MockSmsGateway()
    appts = [
        Appointment("Ana Silva", "+351912345678", now + dt.timedelta(hours=3), "Dr Costa"),
        Appointment("Ben Ode", "+447700900123", now + dt.timedelta(days=3), "Dr Costa"),
    ]
    send_reminders(gw, appts, now)
    assert [to for to, _ in gw.sent] == ["+351912345678"]
