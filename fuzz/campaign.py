"""Mutation campaign against the HDF5 loaders and the TNTP readers.

Each mutant (derived deterministically from --seed and its index, see
fuzz/mutate.py) is loaded in a worker process under a watchdog: an input that
kills the worker (a crash) or keeps it busy for more than --timeout seconds
(a hang) is recorded and saved under --out for reproduction, and the worker
is restarted. A load may succeed (a warning is counted, not printed) or
raise a clear Python exception (OSError, ValueError, TypeError,
MemoryError); any other exception is a failure too.

Run: .venv/bin/python fuzz/campaign.py --target store --count 10000
     .venv/bin/python fuzz/campaign.py --target tntp --seconds 120
Exit code 1 when anything but clear errors was found.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import select
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import mutate  # noqa: E402

CLEAR = (OSError, ValueError, TypeError, MemoryError)


def build_mutant(target: str, index: int, seed: int, scratch: Path, seeds: dict) -> list[Path]:
    rng = random.Random(seed * 1_000_003 + index)
    if target == "store":
        # Half the mutants are of the single-file export, half of the store as
        # saves write it: an index and a folder of object files, one of which
        # (or the index) is mutated.
        if rng.random() < 0.5:
            out = victim = scratch / "mutant.h5"
            shutil.copy(seeds["store"], out)
        else:
            folder = scratch / "mutant"
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(seeds["store"].parent / "seedstore", folder)
            out = folder / "seed.h5"
            victim = rng.choice([out] + sorted((folder / "seed.h5.d").glob("*.h5")))
        if rng.random() < 0.7:
            for _ in range(rng.randint(1, 3)):
                try:
                    mutate.mutate_structure(victim, rng, scratch)
                except Exception:  # h5py refused the edit; keep what was done
                    pass
        else:
            victim.write_bytes(mutate.mutate_bytes(victim.read_bytes(), rng))
        return [out] if victim == out else [out, victim]
    net, trips = scratch / "mutant_net.tntp", scratch / "mutant_trips.tntp"
    net.write_text(seeds["net"].read_text())
    trips.write_text(seeds["trips"].read_text())
    victim = net if rng.random() < 0.6 else trips
    victim.write_text(mutate.mutate_tntp(victim.read_text(), rng))
    return [net, trips]


def load_all(target: str, files: list[Path]) -> str:
    import urbplex as ux

    outcomes = []
    if target == "store":
        calls = [lambda: ux.io.contents(files[0]), lambda: ux.io.load_graph(files[0], "g"),
                 lambda: ux.io.load_hierarchy(files[0], "h"), lambda: ux.io.load_run(files[0], "r"),
                 lambda: ux.multiscale.Multilayer.load(files[0], "ml"), lambda: ux.io.file_info(files[0])]
    else:
        calls = [lambda: ux.routing.tntp.read_net(files[0]), lambda: ux.routing.tntp.read_trips(files[1])]
    for call in calls:
        try:
            with warnings.catch_warnings(record=True) as caught:  # a warning is an outcome, not log noise
                warnings.simplefilter("always")
                call()
            outcomes.append("ok+warning" if caught else "ok")
        except UnicodeError as e:  # a ValueError, but one that names nothing of the file
            return f"unexpected {type(e).__name__}: {e}"
        except CLEAR as e:
            outcomes.append(type(e).__name__)
        except Exception as e:  # noqa: BLE001  (anything else is a finding)
            return f"unexpected {type(e).__name__}: {e}"
    return ",".join(outcomes)


def child(args) -> None:
    scratch = Path(args.scratch)
    seeds = {"store": scratch / "seed.h5", "net": scratch / "seed_net.tntp", "trips": scratch / "seed_trips.tntp"}
    for i in range(args.start, args.start + args.count):
        files = build_mutant(args.target, i, args.seed, scratch, seeds)
        print(f"START {i}", flush=True)
        print(f"DONE {i} {load_all(args.target, files)}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", choices=["store", "tntp"], required=True)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=None, help="stop after this long (a bounded CI step)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds one mutant may take")
    ap.add_argument("--out", default="fuzz-findings")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--scratch", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return 0

    scratch = Path(tempfile.mkdtemp(prefix="urbplex-fuzz-"))
    os.mkfifo(scratch / "fifo.h5")
    mutate.make_store_seed(scratch / "seed.h5")
    mutate.make_tntp_seed(scratch)
    findings = Path(args.out)
    counts = collections.Counter()
    bad = []
    t0 = time.monotonic()
    next_index = 0
    done = 0
    while next_index < args.count and (args.seconds is None or time.monotonic() - t0 < args.seconds):
        proc = subprocess.Popen([sys.executable, __file__, "--child", "--target", args.target, "--seed", str(args.seed),
                                 "--start", str(next_index), "--count", str(args.count - next_index),
                                 "--scratch", str(scratch)], stdout=subprocess.PIPE, text=True, bufsize=1)
        current = None
        last = time.monotonic()
        while True:
            if args.seconds is not None and time.monotonic() - t0 > args.seconds and current is None:
                proc.kill()
                next_index = args.count  # time is up
                break
            ready, _, _ = select.select([proc.stdout], [], [], 0.2)
            if ready:
                line = proc.stdout.readline()
                if not line:  # the worker died
                    rc = proc.wait()
                    if current is not None:
                        counts["crash"] += 1
                        bad.append((current, f"crash (exit {rc})"))
                        next_index = current + 1
                    else:
                        next_index = args.count
                    break
                kind, idx, *rest = line.split(" ", 2)
                if kind == "START":
                    current, last = int(idx), time.monotonic()
                else:
                    outcome = rest[0].strip() if rest else ""
                    done += 1
                    if outcome.startswith("unexpected"):
                        counts["unexpected exception"] += 1
                        bad.append((int(idx), outcome))
                    else:
                        for o in outcome.split(","):
                            counts[o] += 1
                    current = None
                    next_index = int(idx) + 1
            elif current is not None and time.monotonic() - last > args.timeout:
                proc.kill()
                proc.wait()
                counts["hang"] += 1
                bad.append((current, f"hang (> {args.timeout} s)"))
                next_index = current + 1
                break
    total = done + sum(1 for _, why in bad if not why.startswith("unexpected"))
    if bad:
        findings.mkdir(exist_ok=True)
        seeds = {"store": scratch / "seed.h5", "net": scratch / "seed_net.tntp", "trips": scratch / "seed_trips.tntp"}
        for idx, why in bad:
            for f in build_mutant(args.target, idx, args.seed, scratch, seeds):
                shutil.copy(f, findings / f"{args.target}-{idx}-{f.name}")
            print(f"FINDING mutant {idx}: {why}")
    print(f"{args.target}: {total} mutants in {time.monotonic() - t0:.0f} s; "
          f"crashes {counts['crash']}, hangs {counts['hang']}, unexpected exceptions {counts['unexpected exception']}")
    print("  outcomes of the loader calls: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())
                                                       if k not in ("crash", "hang", "unexpected exception")))
    shutil.rmtree(scratch, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
