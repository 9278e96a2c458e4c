from decimal import Decimal

from payroll.calc import monthly_payslip

from .factories import make_employee


def test_below_allowance_pays_no_tax():
    slip = monthly_payslip(make_employee(annual_salary=Decimal("11000")))
    assert slip.income_tax == Decimal("0.00")
    assert slip.net == slip.gross


def test_church_tax_only_when_member():
    a = monthly_payslip(make_employee(church_tax=True))
    b = monthly_payslip(make_employee(church_tax=False))
    assert a.church_tax > 0 and b.church_tax == 0
