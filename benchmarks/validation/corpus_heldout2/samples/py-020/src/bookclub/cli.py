"""Command line for the club's shared shelf."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .library import Book, Library, Loan, OutOfCopies

STATE = Path.home() / ".bookclub.json"


def load(path: Path) -> Library:
    lib = Library()
    if not path.exists():
        return lib
    data = json.loads(path.read_text())
    for b in data.get("books", []):
        lib.add_book(Book(**b))
    for l in data.get("loans", []):
        lib.loans.append(
            Loan(
                l["isbn"],
                l["member"],
                dt.date.fromisoformat(l["due"]),
                dt.date.fromisoformat(l["returned"]) if l.get("returned") else None,
            )
        )
    return lib


def save(lib: Library, path: Path) -> None:
    data = {
        "books": [vars(b) for b in lib.books.values()],
        "loans": [
            {
                "isbn": l.isbn,
                "member": l.member,
                "due": l.due.isoformat(),
                "returned": l.returned.isoformat() if l.returned else None,
            }
            for l in lib.loans
        ],
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bookclub")
    sub = p.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("add")
    add.add_argument("isbn")
    add.add_argument("title")
    add.add_argument("author")
    lend = sub.add_parser("lend")
    lend.add_argument("isbn")
    lend.add_argument("member")
    ret = sub.add_parser("return")
    ret.add_argument("isbn")
    ret.add_argument("member")
    sub.add_parser("overdue")
    sub.add_parser("stats")
    args = p.parse_args(argv)

    lib = load(STATE)
    today = dt.date.today()
    if args.cmd == "add":
        lib.add_book(Book(args.isbn, args.title, args.author))
    elif args.cmd == "lend":
        try:
            loan = lib.lend(args.isbn, args.member, today)
        except KeyError:
            print(f"unknown ISBN {args.isbn}", file=sys.stderr)
            return 2
        except OutOfCopies as exc:
            print(f"all copies of {exc} are out", file=sys.stderr)
            return 1
        print(f"due back {loan.due}")
    elif args.cmd == "return":
        lib.give_back(args.isbn, args.member, today)
    elif args.cmd == "overdue":
        for loan in lib.overdue(today):
            print(f"{loan.member}: {lib.books[loan.isbn].title} (due {loan.due})")
    elif args.cmd == "stats":
        for member, count in lib.loans_per_member().items():
            print(f"{member}: {count}")
    save(lib, STATE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
