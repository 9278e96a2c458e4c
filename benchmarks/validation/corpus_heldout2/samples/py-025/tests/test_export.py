from acme.metrics import Counter, PrometheusText, Registry


def test_counter_text():
    reg = Registry()
    c = reg.register(Counter("jobs", "jobs run"))
    c.inc(3)
    assert "jobs_total 3.0" in PrometheusText().render(reg)
