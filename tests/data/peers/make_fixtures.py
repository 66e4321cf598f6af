#!/usr/bin/env python3
"""Writes the tiny .npz fixtures of tests/peers.rs (run once; the outputs are committed).

    python3 make_fixtures.py        # needs numpy

households7.npz: the 7 hand-computed households of the performance peers' own test
(test_peers.py in the peers' folder, described in docs/peers.md), in the peers'
population layout. The other files are broken on purpose: an array missing, a
wrong dtype, persons not stored household by household, a negative wage, a
compressed archive, and an array whose data is shorter than its header says.
"""

import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# (household, urban, age, employed, wage, operating, property, retiree_pension, project)
PERSONS = [
    (0, True, 65, False, 0, 0, 0, 0, 0),
    (1, False, 89, False, 1000, 0, 0, 0, 0),
    (1, False, 40, True, 10000, 0, 0, 0, 0),
    (2, True, 70, False, 0, 0, 0, 36000, 0),
    (3, False, 60, True, 12000, 0, 0, 0, 0),
    (4, True, 90, True, 500, 0, 0, 0, 0),
    (4, True, 10, False, 0, 0, 0, 0, 0),
    (4, True, 45, False, 0, 5000, 1000, 0, 0),
    (5, False, 80, True, 200, 0, 0, 0, 1500),
    (6, False, 59, False, 0, 0, 0, 0, 0),
]


def population():
    cols = list(zip(*PERSONS))
    hh = np.array(cols[0], dtype=np.int32)
    n = hh.max() + 1
    hh_urban = np.zeros(n, dtype=bool)
    hh_urban[hh] = np.array(cols[1])
    money = lambda c: np.array(c, dtype=np.float32)  # noqa: E731
    return {
        "hh_size": np.bincount(hh).astype(np.uint8),
        "hh_urban": hh_urban,
        "person_hh": hh,
        "age": np.array(cols[2], dtype=np.uint8),
        "severely_disabled": np.zeros(len(hh), dtype=bool),
        "employed": np.array(cols[3], dtype=bool),
        "wage_income": money(cols[4]),
        "operating_income": money(cols[5]),
        "property_income": money(cols[6]),
        "retiree_pension": money(cols[7]),
        "poverty_project_income": money(cols[8]),
        "seed": np.int64(42),
    }


def main():
    pop = population()
    np.savez(os.path.join(HERE, "households7.npz"), **pop)

    missing = dict(pop)
    del missing["age"]
    np.savez(os.path.join(HERE, "missing_age.npz"), **missing)

    wrong = dict(pop)
    wrong["wage_income"] = pop["wage_income"].astype(np.float64)
    np.savez(os.path.join(HERE, "wage_float64.npz"), **wrong)

    unsorted = dict(pop)
    unsorted["person_hh"] = pop["person_hh"][::-1].copy()
    np.savez(os.path.join(HERE, "person_hh_unsorted.npz"), **unsorted)

    negative = dict(pop)
    negative["wage_income"] = pop["wage_income"].copy()
    negative["wage_income"][2] = -1.0
    np.savez(os.path.join(HERE, "negative_wage.npz"), **negative)

    np.savez_compressed(os.path.join(HERE, "compressed.npz"), **pop)

    # hh_size.npy whose header promises more elements than its data holds.
    path = os.path.join(HERE, "short_data.npz")
    np.savez(path, **pop)
    header = "{'descr': '|u1', 'fortran_order': False, 'shape': (100,), }"
    header += " " * (63 - len(header) - 10) + "\n"
    short = b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + bytes(pop["hh_size"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, array in pop.items():
            if name == "hh_size":
                z.writestr("hh_size.npy", short)
            else:
                with z.open(name + ".npy", "w") as f:
                    np.lib.format.write_array(f, np.asanyarray(array))


if __name__ == "__main__":
    main()
