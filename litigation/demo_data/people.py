"""The team (a coordinator, lawyers, staff), their calendar feeds, and survivors' names."""

from __future__ import annotations

import hashlib
import hmac
import random

from sqlalchemy import Connection, insert, select

from ..feeds.subscriptions import hash_token
from ..models import FeedKind, Role, User
from . import tables
from .rows import table

LAWYERS = 60
STAFF = 10
COORDINATOR = "coordinator@demo.example"
FIRST_NAMES = [
    "Асхат",
    "Болат",
    "Гульнар",
    "Ержан",
    "Жанна",
    "Канат",
    "Марат",
    "Нурлан",
    "Сауле",
    "Талгат",
    "Айдос",
    "Бауыржан",
    "Дамир",
    "Ербол",
    "Фарход",
    "Шерали",
    "Мехрангез",
    "Далер",
    "Рустам",
    "Зафар",
    "Нилуфар",
    "Баходур",
    "Сухроб",
    "Умед",
    "Алия",
    "Дина",
]
SURNAMES = [
    "Ахметов",
    "Омаров",
    "Каримов",
    "Исмаилов",
    "Рахимов",
    "Сатпаев",
    "Жумабаев",
    "Нуриев",
    "Расулов",
    "Сафаров",
    "Юсупов",
    "Бекмуратов",
    "Абдуллаев",
    "Тлеубаев",
    "Шарипов",
    "Назаров",
    "Хасанов",
    "Кенжебаев",
    "Мирзоев",
    "Алиев",
]


def lawyer_email(number: int) -> str:
    return f"lawyer{number}@demo.example"


def add_users(connection: Connection, password_hash: str) -> tuple[list[int], list[int]]:
    """A coordinator, the lawyers and the staff, all with one password; their ids."""
    rows = [tables.user_row(COORDINATOR, "Dana Coordinator", Role.COORDINATOR, password_hash)]
    rows += [
        tables.user_row(lawyer_email(n), f"Lawyer {n}", Role.LAWYER, password_hash)
        for n in range(1, LAWYERS + 1)
    ]
    rows += [
        tables.user_row(f"staff{n}@demo.example", f"Staff {n}", Role.STAFF, password_hash)
        for n in range(1, STAFF + 1)
    ]
    connection.execute(insert(table("users")), rows)
    ids = {email: user for email, user in connection.execute(select(User.email, User.id))}
    lawyers = [ids[lawyer_email(n)] for n in range(1, LAWYERS + 1)]
    staff = [ids[f"staff{n}@demo.example"] for n in range(1, STAFF + 1)]
    return lawyers, staff


def feed_token(secret: str, name: str) -> str:
    """A feed's token, derived from a secret so that whoever holds it can poll the feed."""
    return hmac.new(secret.encode(), name.encode(), hashlib.sha256).hexdigest()


def add_feeds(connection: Connection, secret: str, lawyers: list[int]) -> dict[str, str]:
    """The coordinator's team feed and each lawyer's own; their tokens by feed name."""
    coordinator = connection.scalar(select(User.id).where(User.email == COORDINATOR))
    owners = [("team", coordinator, FeedKind.TEAM, "Team deadlines")]
    owners += [
        (f"mine:{lawyer_email(n)}", user, FeedKind.MINE, "My deadlines")
        for n, user in enumerate(lawyers, 1)
    ]
    tokens = {name: feed_token(secret, name) for name, *_rest in owners}
    rows = [
        tables.feed_row(owner, kind.value, title, hash_token(tokens[name]))
        for name, owner, kind, title in owners
    ]
    connection.execute(insert(table("feed_subscriptions")), rows)
    return tokens


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
