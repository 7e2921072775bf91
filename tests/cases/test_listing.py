"""Folding in SQL matches folding in Python, on SQLite and on PostgreSQL whatever its locale."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select
from sqlalchemy.dialects import postgresql

from litigation.cases.survivors import fold_name
from litigation.db import db, folded

TEXTS = ["ЁЛКИНА Гульнара", "Берёзовка", "ИВС пос. ЖАНАОЗЕН", "ҚАРАҒАНДЫ ӨҢІРІ", "ҶАЛОЛ ҲИСОР"]


@pytest.mark.parametrize("text", [*TEXTS, "Ivs 3"])
def test_the_database_folds_as_python_does(app, text):
    assert db.session.scalar(select(folded(literal(text)))) == fold_name(text)


def test_postgresql_folds_cyrillic_without_relying_on_its_locale():
    sql = str(select(folded(literal("Ё"))).compile(dialect=postgresql.dialect()))

    assert "translate(" in sql and "lower(translate(" in sql
