import argparse
import sys

from app.cli import db_commands, user_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="app")
    sub = parser.add_subparsers(dest="command", required=True)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(func=db_commands.migrate)

    create_user = sub.add_parser("create-user", help="create a user")
    create_user.add_argument("email")
    create_user.add_argument("--admin", action="store_true")
    create_user.set_defaults(func=user_commands.create)

    # ... remaining subcommands here

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
