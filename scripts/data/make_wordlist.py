#!/usr/bin/env python3
"""Writes the English word lists that redline-spell builds its dictionary from.

    python3 scripts/data/make_wordlist.py [DEBS_DIR]

The lists come from SCOWL (Spell Checker Oriented Word Lists, Kevin Atkinson) as Debian ships
them: `wamerican` and `wbritish` (SCOWL size 50, the full lists) and `wamerican-small` and
`wbritish-small` (size 35, the common words). The packages are downloaded with
`apt-get download` into DEBS_DIR (a temporary folder by default) unless they are there already.

Kept: lower-case ASCII words of three letters or more without an apostrophe (possessives and
proper names go; a capitalised word is a name and redline never checks one). Written, sorted:
- crates/redline-spell/words/common.txt: in a size-35 list (a misspelling's correction);
- crates/redline-spell/words/more.txt: in a size-50 list only (known, never a correction).
The SCOWL copyright notice is in crates/redline-spell/words/COPYRIGHT.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "crates", "redline-spell", "words")
PACKAGES = {
    "wamerican": "american-english", "wbritish": "british-english",
    "wamerican-small": "american-english-small", "wbritish-small": "british-english-small",
}


def words(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            w = line.strip()
            if len(w) >= 3 and w.isascii() and w.isalpha() and w.islower():
                yield w


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("debs", nargs="?", metavar="DEBS_DIR",
                        help="where the Debian packages are, or are downloaded to")
    debs = parser.parse_args().debs or tempfile.mkdtemp()
    lists = {}
    for package, name in PACKAGES.items():
        found = glob.glob(os.path.join(debs, f"{package}_*.deb"))
        if not found:
            subprocess.run(["apt-get", "download", package], cwd=debs, check=True)
            found = glob.glob(os.path.join(debs, f"{package}_*.deb"))
        tree = os.path.join(debs, package)
        subprocess.run(["dpkg-deb", "-x", found[0], tree], check=True)
        lists[package] = set(words(os.path.join(tree, "usr", "share", "dict", name)))
    common = lists["wamerican-small"] | lists["wbritish-small"]
    more = (lists["wamerican"] | lists["wbritish"]) - common
    for name, ws in (("common.txt", common), ("more.txt", more)):
        with open(os.path.join(OUT, name), "w", encoding="ascii") as fh:
            fh.writelines(w + "\n" for w in sorted(ws))
        print(f"{name}: {len(ws)} words", file=sys.stderr)


if __name__ == "__main__":
    main()
