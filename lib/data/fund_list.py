"""The Funds page's shared list and what each symbol is, inside the price store's transaction.

The list is changed, never replaced from a page's copy: a session that adds a fund does not bring back
one another session removed meanwhile. Each change takes the list's queue row first, so two changes
at once apply one after the other.

A symbol has one kind and one currency: the settings' (config/indices.toml, config/funds.toml) or,
for a fund imported from its company's file, the store's `instrument` row. An import of another kind
or currency under it is refused.
"""

from __future__ import annotations

import sqlalchemy as sa

from lib.core import settings
from lib.core.errors import SymbolTaken
from lib.core.i18n import message
from lib.core.settings import Instrument
from lib.data.price_tables import FUND_LIST_ROW, fund_list, instrument_table, price_close, store_revision


def saved(connection: sa.Connection, *, before: int = 0) -> list[str] | None:
    """The saved list (None: never saved, the defaults apply; [] when every fund was removed).

    `before`: the changes of the list to leave out of "ever saved" (a change in progress has counted itself)."""
    rows = connection.execute(sa.select(fund_list.c.symbol).order_by(fund_list.c.position)).scalars().all()
    if rows:
        return list(rows)
    version = sa.select(store_revision.c.revision).where(store_revision.c.id == FUND_LIST_ROW)
    return [] if (connection.execute(version).scalar() or 0) > before else None


def change(connection: sa.Connection, queue: sa.Insert, *, added: list[str], removed: list[str]) -> list[str]:
    """Apply additions (at the end, once) and removals to the list as it stands now; the new list."""
    connection.execute(queue)  # wait for any other change of the list, then read it
    current = saved(connection, before=1)
    symbols = list(settings.DEFAULT_FUNDS) if current is None else current
    kept = [symbol for symbol in symbols if symbol not in set(removed)]
    new = kept + [symbol for symbol in dict.fromkeys(added) if symbol not in kept]
    if new != current:
        replace(connection, new)
    return new


def replace(connection: sa.Connection, symbols: list[str]) -> None:
    """Write the list whole (the caller holds the list's queue row)."""
    connection.execute(fund_list.delete())
    if symbols:
        connection.execute(fund_list.insert(), [{"position": i, "symbol": s} for i, s in enumerate(symbols)])


def stored_instruments(connection: sa.Connection) -> dict[str, tuple[Instrument, str]]:
    rows = connection.execute(sa.select(instrument_table)).all()
    return {
        row.symbol: (Instrument(row.symbol, row.name_en, row.name_ja, row.kind, row.currency, row.hedged), row.note)
        for row in rows
    }


def check_identity(connection: sa.Connection, fund: Instrument) -> None:
    """Raise SymbolTaken when `fund.symbol` is recorded with another kind or currency, or holds closes
    whose kind and currency nobody recorded (Yahoo's, a price file's)."""
    known = settings.instrument(fund.symbol) or _stored(connection, fund.symbol)
    if known is None:
        held = connection.execute(
            sa.select(sa.func.count(), sa.func.max(price_close.c.source)).where(price_close.c.symbol == fund.symbol)
        ).one()
        if held[0]:
            raise SymbolTaken(message("error_symbol_holds_closes", symbol=fund.symbol, count=held[0], source=held[1]))
        return
    if (known.kind, known.currency) != (fund.kind, fund.currency):
        raise SymbolTaken(
            message(
                "error_symbol_taken",
                symbol=fund.symbol,
                name=known.name_en,
                kind=message(f"kind_{known.kind}"),
                currency=known.currency,
                new_kind=message(f"kind_{fund.kind}"),
                new_currency=fund.currency,
            )
        )


def _stored(connection: sa.Connection, symbol: str) -> Instrument | None:
    row = connection.execute(sa.select(instrument_table).where(instrument_table.c.symbol == symbol)).first()
    return None if row is None else Instrument(row.symbol, row.name_en, row.name_ja, row.kind, row.currency, row.hedged)


def save_instrument(connection: sa.Connection, instrument: Instrument, note: str) -> None:
    values = {
        "symbol": instrument.symbol,
        "name_en": instrument.name_en,
        "name_ja": instrument.name_ja,
        "kind": instrument.kind,
        "currency": instrument.currency,
        "note": note,
        "hedged": instrument.hedged,
    }
    connection.execute(instrument_table.delete().where(instrument_table.c.symbol == instrument.symbol))
    connection.execute(instrument_table.insert().values(**values))
