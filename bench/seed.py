"""Create the demo groups for a bench run and print them as ``facilitator demo --json`` does.

It runs ``facilitator.demo.create_demo`` (the code behind ``facilitator demo``) on the database
named by ``DATABASE_URL`` after bringing its schema up to date. The only difference from the
command: the throw-away facilitator passwords are hashed with a cheaper scrypt cost
(``scrypt:16384:8:1``) unless ``--production-hash`` is given, because OWASP's cost is paid
once when seeding and once per sign-in, which makes every run much longer, and sign-in is not
what the bench measures. Usage::

    DATABASE_URL=sqlite:////tmp/b.sqlite3 python bench/seed.py --groups 100 --participants 11
"""

import argparse
import json
import sys
import warnings

BENCH_HASH = "scrypt:16384:8:1"


def main() -> None:
    """Seed the database and print the demo object on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--participants", type=int, default=11)
    parser.add_argument("--production-hash", action="store_true")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")

    from sqlalchemy import event

    from facilitator import create_app
    from facilitator.cli import upgrade_schema
    from facilitator.demo import create_demo
    from facilitator.extensions import db

    config = {} if args.production_hash else {"PASSWORD_HASH_METHOD": BENCH_HASH}
    app = create_app(config)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # Seeding only, in this process: no fsync per participant. The file's journal
            # mode (what the app server will run with) is left as it is.
            event.listen(db.engine, "connect",
                         lambda connection, _record: connection.execute(
                             "PRAGMA synchronous=OFF"))
            db.engine.dispose()
        upgrade_schema()
        result = create_demo(args.groups, args.participants)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
