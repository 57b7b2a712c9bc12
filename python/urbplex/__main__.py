"""Command line: ``python -m urbplex demo`` and ``python -m urbplex info FILE``."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="urbplex", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the demo pipeline and write an HDF5 file")
    demo.add_argument("--out", default="demo-output/demo.h5")
    demo.add_argument("--n", type=int, default=50_000, help="nodes of the synthetic city")
    demo.add_argument("--seed", type=int, default=1)
    info = sub.add_parser("info", help="summarise an urbplex HDF5 file: sizes, parameters, units, lineage")
    info.add_argument("file")
    args = parser.parse_args(argv)

    if args.command == "demo":
        from .demo import run

        run(args.out, n=args.n, seed=args.seed)
    elif args.command == "info":
        from . import io

        import os

        meta = io.file_info(args.file)
        print(f"{args.file}: {os.path.getsize(args.file) / 2**20:.2f} MiB, urbplex {meta['urbplex_version']}, "
              f"schema {meta['schema_version']}")
        for kind, names in io.contents(args.file).items():
            print(f"  {kind}: {', '.join(names) if names else '-'}")
        for row in io.summary(args.file):
            env = row["environment"]
            made = (f" (urbplex {env.get('urbplex')}, Python {env.get('python')}, numpy {env.get('numpy')}, "
                    f"HDF5 {env.get('hdf5')})") if env else ""
            print(f"\n{row['kind']} {row['name']}: {row['size']}{made}\n    {row['details']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
