#!/usr/bin/env python3
"""Writes a random population in the performance peers' .npz layout (docs/peers.md) with
the standard library only (no numpy), for scripts/check_kernels.sh.

    python3 scripts/peer_population.py OUT.npz [HOUSEHOLDS] [SEED]

The draws are not calibrated to anything: they only spread households over every branch
of the four rules (no income, wages below and above the dibao line, old members with
and without a retiree pension, the severely disabled, poverty-project income) so that
every kernel's loops run over many households.
"""

import random
import struct
import sys
import zipfile


def npy(descr, shape, data):
    """The bytes of a .npy file (format 1.0) holding `data` (already packed)."""
    dims = "(" + "".join(f"{d}," for d in shape) + ")" if shape else "()"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, dims)
    pad = 64 - (10 + len(header) + 1) % 64
    header += " " * pad + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def main():
    out = sys.argv[1]
    households = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    rng = random.Random(seed)
    sizes, urban = [], []
    person_hh, age, disabled, employed = [], [], [], []
    wage, operating, prop, pension, project = [], [], [], [], []
    for h in range(households):
        size = rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5, 6])
        sizes.append(size)
        urban.append(rng.random() < 0.6)
        for _ in range(size):
            a = rng.randrange(0, 96)
            person_hh.append(h)
            age.append(a)
            disabled.append(rng.random() < 0.03)
            works = 16 <= a < 70 and rng.random() < 0.6
            employed.append(works)
            # Casual pay of those not employed too (counted, with no deduction).
            wage.append(round(rng.lognormvariate(9.6, 0.9)) if works else (round(rng.uniform(0, 3000)) if rng.random() < 0.1 else 0.0))
            operating.append(round(rng.lognormvariate(8.5, 1.0)) if rng.random() < 0.15 else 0.0)
            prop.append(round(rng.lognormvariate(7.0, 1.2)) if rng.random() < 0.2 else 0.0)
            pension.append(round(rng.lognormvariate(10.3, 0.4)) if a >= 60 and rng.random() < 0.35 else 0.0)
            project.append(round(rng.uniform(500, 3000)) if rng.random() < 0.02 else 0.0)
    n, m = households, len(person_hh)
    arrays = {
        "hh_size": npy("|u1", (n,), bytes(sizes)),
        "hh_urban": npy("|b1", (n,), bytes(urban)),
        "person_hh": npy("<i4", (m,), struct.pack(f"<{m}i", *person_hh)),
        "age": npy("|u1", (m,), bytes(age)),
        "severely_disabled": npy("|b1", (m,), bytes(disabled)),
        "employed": npy("|b1", (m,), bytes(employed)),
        "wage_income": npy("<f4", (m,), struct.pack(f"<{m}f", *wage)),
        "operating_income": npy("<f4", (m,), struct.pack(f"<{m}f", *operating)),
        "property_income": npy("<f4", (m,), struct.pack(f"<{m}f", *prop)),
        "retiree_pension": npy("<f4", (m,), struct.pack(f"<{m}f", *pension)),
        "poverty_project_income": npy("<f4", (m,), struct.pack(f"<{m}f", *project)),
        "seed": npy("<i8", (), struct.pack("<q", seed)),
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in arrays.items():
            z.writestr(name + ".npy", data)
    print(f"{out}: {n} households, {m} persons")


if __name__ == "__main__":
    main()
