"""Data access for owners, pets and visits."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass
class Owner:
    id: int
    name: str
    phone: str
    email: str | None


@dataclass
class Pet:
    id: int
    owner_id: int
    name: str
    species: str
    born: dt.date | None


@dataclass
class Visit:
    id: int
    pet_id: int
    at: dt.datetime
    reason: str
    notes: str


class ClinicRepository:
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    # owners ---------------------------------------------------------------
    def create_owner(self, name: str, phone: str, email: str | None = None) -> Owner:
        with self.conn.cursor(row_factory=class_row(Owner)) as cur:
            cur.execute(
                "INSERT INTO owners (name, phone, email) VALUES (%s, %s, %s) RETURNING *",
                (name, phone, email),
            )
            owner = cur.fetchone()
        self.conn.commit()
        assert owner is not None
        return owner

    def get_owner(self, owner_id: int) -> Owner | None:
        with self.conn.cursor(row_factory=class_row(Owner)) as cur:
            cur.execute("SELECT * FROM owners WHERE id = %s", (owner_id,))
            return cur.fetchone()

    def find_owners(self, name_part: str) -> list[Owner]:
        with self.conn.cursor(row_factory=class_row(Owner)) as cur:
            cur.execute("SELECT * FROM owners WHERE name ILIKE %s ORDER BY name", (f"%{name_part}%",))
            return cur.fetchall()

    def update_owner(self, owner: Owner) -> None:
        self.conn.execute(
            "UPDATE owners SET name = %s, phone = %s, email = %s WHERE id = %s",
            (owner.name, owner.phone, owner.email, owner.id),
        )
        self.conn.commit()

    # pets -----------------------------------------------------------------
    def add_pet(self, owner_id: int, name: str, species: str, born: dt.date | None = None) -> Pet:
        with self.conn.cursor(row_factory=class_row(Pet)) as cur:
            cur.execute(
                "INSERT INTO pets (owner_id, name, species, born) VALUES (%s, %s, %s, %s) RETURNING *",
                (owner_id, name, species, born),
            )
            pet = cur.fetchone()
        self.conn.commit()
        assert pet is not None
        return pet

    def pets_of(self, owner_id: int) -> list[Pet]:
        with self.conn.cursor(row_factory=class_row(Pet)) as cur:
            cur.execute("SELECT * FROM pets WHERE owner_id = %s ORDER BY name", (owner_id,))
            return cur.fetchall()

    # visits ---------------------------------------------------------------
    # create/list/cancel for visits go here, mirroring the pet methods above
