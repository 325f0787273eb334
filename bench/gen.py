#!/usr/bin/env python3
"""Writes an import file (SPEC "Import format") with many agreements.

usage: gen.py COUNT [--prefix 1108] [--account 7000000001] [--with-directory]
Agreements are contracts numbered PREFIX + zero-padded index (12 digits),
all of ACCOUNT, served by partner 5100000001, eligible for a partner change.
"""
import json
import sys


def main() -> None:
    args = sys.argv[1:]
    count = int(args[0])
    prefix = args[args.index("--prefix") + 1] if "--prefix" in args else "1108"
    account = args[args.index("--account") + 1] if "--account" in args else "7000000001"
    out = sys.stdout
    width = 12 - len(prefix)
    out.write("{")
    if "--with-directory" in args:
        partners = [
            {"csn": "5100000001", "name": "CAD Partner GmbH", "city": "München", "country": "DE",
             "status": "active", "email": "orders@cad-partner.example"},
            {"csn": "5100000002", "name": "BIM Solutions AG", "city": "Berlin", "country": "DE",
             "status": "active", "email": "hello@bim-solutions.example"},
        ]
        accounts = [{"csn": account, "name": "Bench AG", "country": "DE"}]
        out.write('"partners":' + json.dumps(partners) + ',"accounts":' + json.dumps(accounts) + ",")
    out.write('"agreements":[')
    for i in range(count):
        if i:
            out.write(",")
        number = f"{prefix}{i:0{width}d}"
        out.write(
            '{"number":"%s","kind":"contract","account":"%s","products":[{"name":"AutoCAD","seats":%d}],'
            '"term_start":"2026-01-01","term_end":"2028-12-31","auto_renew":false,"program":"standard",'
            '"support_level":"standard","status":"active","partners":["5100000001"]}'
            % (number, account, 1 + i % 50)
        )
    out.write("]}\n")


if __name__ == "__main__":
    main()
