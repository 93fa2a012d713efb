"""Operator commands: `python -m bot <command>`. Run `python -m bot --help` for the list."""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List, Optional

from bot.core import clock, settings

#: The demo shop is regenerated when its "now" is older than this, so "due tomorrow" stays true.
DEMO_MAX_AGE = timedelta(hours=12)


def _parse_now(text: Optional[str]) -> Optional[datetime]:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def cmd_build_nlp(args: argparse.Namespace) -> int:
    from bot.text.nlp_pipeline import save_pipeline

    print(f"spaCy pipeline written to {save_pipeline()}")
    return 0


def cmd_build_faq(args: argparse.Namespace) -> int:
    from bot.profile.faq import FaqError, write_training_data
    from bot.profile.shop_profile import ProfileError, load_profile

    try:
        target = write_training_data(load_profile())
    except (FaqError, ProfileError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"FAQ training data written to {target.relative_to(settings.PROJECT_ROOT)}")
    return 0


def cmd_check_profile(args: argparse.Namespace) -> int:
    from bot.profile.shop_profile import ProfileError, load_profile

    try:
        profile = load_profile()
    except ProfileError as err:
        print(f"error: the shop profile is not valid: {err}", file=sys.stderr)
        return 2
    print(f"Shop profile OK: {profile.name}")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from bot.core.db import engine_for
    from bot.shopdata.demo import generate_demo_shop

    url = settings.database_url()
    summary = generate_demo_shop(
        engine_for(url),
        seed=args.seed,
        now=_parse_now(args.now) or clock.now().replace(second=0, microsecond=0),
        n_orders=args.orders,
        show_progress=True if args.orders >= 50_000 else None,
    )
    print(
        f"Demo shop: {summary.n_orders:,} orders, {summary.n_customers:,} customers, "
        f"{summary.n_products} products in {summary.seconds:.1f}s ({_safe_url(url)})"
    )
    _demo_outcomes(engine_for(url), summary.now, args.seed)
    return 0


def _demo_outcomes(engine, now: datetime, seed: int) -> None:  # noqa: ANN001 - an Engine
    """Four weeks of made-up conversation outcomes for the desk's Reports page (bot.reports.demo)."""
    from bot.reports.demo import write_demo_outcomes

    print(f"Demo reports: {write_demo_outcomes(engine, now, seed=seed):,} conversation outcomes over 28 days")


def cmd_ensure_demo(args: argparse.Namespace) -> int:
    """Seed the demo shop unless the database already holds a shop (demo data goes stale)."""
    from bot.core.db import engine_for
    from bot.shopdata.demo import demo_meta

    meta = demo_meta(engine_for(settings.database_url()))
    if meta is not None and meta.get("source") != "demo":
        return 0  # the operator's own data: never touched
    if meta is not None:
        made = datetime.fromisoformat(meta["demo_now"])
        if clock.now() - made < DEMO_MAX_AGE:
            from bot.reports.demo import has_demo_outcomes

            engine = engine_for(settings.database_url())
            if not has_demo_outcomes(engine):  # a demo shop made before the reports
                _demo_outcomes(engine, made, args.seed)
            return 0
        print("The demo shop's dates are stale; regenerating it.")
    return cmd_seed_demo(args)


def cmd_import_csv(args: argparse.Namespace) -> int:
    from bot.core.db import engine_for
    from bot.profile.shop_profile import ProfileError
    from bot.shopdata.csv_import import CsvImportError, import_csv_directory
    from bot.shopdata.kept_records import OrphanedRecords

    try:
        summary = import_csv_directory(
            engine_for(settings.database_url()), Path(args.directory), replace=args.replace
        )
    except (CsvImportError, OrphanedRecords) as err:
        print(f"Import failed, nothing was imported: {err}", file=sys.stderr)
        return 2
    except FileNotFoundError as err:
        print(f"Import failed: {err}", file=sys.stderr)
        return 2
    except ProfileError as err:  # the shipping holidays for default delivery dates come from it
        print(f"Import failed, nothing was imported: the shop profile: {err}", file=sys.stderr)
        return 2
    print(f"Imported: {summary}")
    return 0


def cmd_forget_customer(args: argparse.Namespace) -> int:
    from bot.core.db import engine_for
    from bot.privacy.forget import forget_customer

    try:
        report = forget_customer(args.email, engine_for(settings.database_url()),
                                 engine_for(args.tracker_url or settings.tracker_store_url()))
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    return 0


def cmd_purge_expired(args: argparse.Namespace) -> int:
    from bot.core import clock
    from bot.core.db import engine_for
    from bot.privacy.retention import purge_expired
    from bot.profile.shop_profile import current_profile

    days = current_profile().privacy.retention_days
    report = purge_expired(engine_for(settings.database_url()),
                           engine_for(args.tracker_url or settings.tracker_store_url()), clock.now(), days)
    print("\n".join(report.lines()))
    return 0


def _safe_url(url: str) -> str:
    """The database URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("build-nlp", help="build the in-repo spaCy pipeline").set_defaults(func=cmd_build_nlp)
    sub.add_parser("build-faq", help="make Rasa training data from shop/faq.yml").set_defaults(func=cmd_build_faq)
    sub.add_parser("check-profile", help="validate shop/profile.yml").set_defaults(func=cmd_check_profile)

    for name, func, text in (
        ("seed-demo", cmd_seed_demo, "(re)generate the demo shop, replacing all shop data"),
        ("ensure-demo", cmd_ensure_demo, "seed the demo shop if there is no shop data yet"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--orders", type=int, default=3000, help="number of orders (default 3000)")
        p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
        p.add_argument("--now", help="the generator's 'now' (ISO 8601, default: the current time)")
        p.set_defaults(func=func)

    p = sub.add_parser("import-csv", help="import a shop's orders from CSV files (docs/csv-import.md)")
    p.add_argument("directory", help="folder holding customers.csv, products.csv, orders.csv, ...")
    p.add_argument("--replace", action="store_true", help="replace all existing shop data")
    p.set_defaults(func=cmd_import_csv)

    p = sub.add_parser("forget-customer", help="erase a customer's conversations, handoffs and outbox payloads")
    p.add_argument("email", help="the customer's email address")
    p.add_argument("--tracker-url", help="the tracker store's database (default: SHOP_TRACKER_STORE_URL, "
                                         "else var/tracker.db)")
    p.set_defaults(func=cmd_forget_customer)

    p = sub.add_parser("purge-expired", help="delete conversations, transcripts and outbox payloads older "
                                             "than the profile's privacy.retention_days")
    p.add_argument("--tracker-url", help="the tracker store's database (default: SHOP_TRACKER_STORE_URL, "
                                         "else var/tracker.db)")
    p.set_defaults(func=cmd_purge_expired)

    args = parser.parse_args(argv)
    from sqlalchemy.exc import OperationalError

    try:
        return args.func(args)
    except OperationalError as err:  # no server, no database, wrong password: say so, no trace
        reason = str(err.orig or err).strip().splitlines()[0]
        print(f"error: the shop database is not reachable at {_safe_url(settings.database_url())} "
              f"({settings.DATABASE_URL_ENV}): {reason}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
