from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Book:
    isbn: str
    title: str
    author: str
    copies: int = 1


@dataclass
class Loan:
    isbn: str
    member: str
    due: dt.date
    returned: dt.date | None = None


class OutOfCopies(Exception):
    pass


@dataclass
class Library:
    books: dict[str, Book] = field(default_factory=dict)
    loans: list[Loan] = field(default_factory=list)
    loan_days: int = 21

    def add_book(self, book: Book) -> None:
        if book.isbn in self.books:
            self.books[book.isbn].copies += book.copies
        else:
            self.books[book.isbn] = book

    def on_loan(self, isbn: str) -> int:
        return sum(1 for l in self.loans if l.isbn == isbn and l.returned is None)

    def lend(self, isbn: str, member: str, today: dt.date) -> Loan:
        book = self.books[isbn]
        if self.on_loan(isbn) >= book.copies:
            raise OutOfCopies(book.title)
        loan = Loan(isbn, member, today + dt.timedelta(days=self.loan_days))
        self.loans.append(loan)
        return loan

    def give_back(self, isbn: str, member: str, today: dt.date) -> Loan:
        for loan in self.loans:
            if loan.isbn == isbn and loan.member == member and loan.returned is None:
                loan.returned = today
                return loan
        raise LookupError(f"{member} has no open loan of {isbn}")

    def overdue(self, today: dt.date) -> list[Loan]:
        return [l for l in self.loans if l.returned is None and l.due < today]
