"""A PostgreSQL database of its own for a test module or a benchmark, dropped afterwards."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from typing import Iterator, Optional

from sqlalchemy import create_engine, text


@contextmanager
def throwaway_postgres(admin_url: str, name: Optional[str] = None, keep: bool = False,
                       prefix: str = "shop_test") -> Iterator[str]:
    """The URL of database `name` (a new `prefix_<random>` one by default) on the server of
    `admin_url`, dropped afterwards unless `keep`; a kept database is reused next time."""
    name = name or f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        from bot.core.db import engine_for

        engine_for(url).dispose()
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
