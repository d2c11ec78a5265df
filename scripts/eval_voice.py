#!/usr/bin/env python3
"""Measures `redline voice` on real people's mail: their own later mail, other people's mail,
and AI-polished rewrites of their own mail.

For each author of the corpus with 15-55 messages by From address (mailing-list robots left
out), their mail is ordered by Date; a profile is learned from the earlier half and compared
with:

- own: the author's later half (all of it; and, paired, the messages that have a rewrite);
- polished: the AI-polished rewrites of those later messages (data/voice-rewrites/<author>/),
  leaving out those the button returned unchanged (UNCHANGED.txt);
- others: every other author's later half, against this author's profile.

The learning and comparison run in the `eval_voice` example of redline-voice (the same code
`redline voice learn` and `redline check --voice` run, on the same regions), built in release
mode. Nothing from the corpus is copied into the project. Prints per-author rates and the
pooled rates against the targets (own <= 10%, polished >= 80%, others >= 60%).

    python3 scripts/eval_voice.py [CORPUS] [--rewrites DIR] [--json OUT] [--examples N]
"""
import argparse
import collections
import email
import email.utils
import json
import os
import re
import subprocess
import sys
from email import policy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROBOTS = {"rssfeeds@spamassassin.taint.org", "bugzilla-daemon@hughes-family.org",
          "yyyy@spamassassin.taint.org"}
MIN_MESSAGES, MAX_MESSAGES = 15, 55


def authors(corpus):
    by = collections.defaultdict(list)
    for name in sorted(os.listdir(corpus)):
        with open(os.path.join(corpus, name), "rb") as fh:
            msg = email.message_from_binary_file(fh, policy=policy.compat32)
        addr = email.utils.parseaddr(msg.get("From", ""))[1].lower()
        date = email.utils.parsedate_tz(msg.get("Date", "")) or None
        stamp = email.utils.mktime_tz(date) if date else 0
        by[addr].append((stamp, name))
    out = {}
    for addr, msgs in sorted(by.items()):
        if addr in ROBOTS or not MIN_MESSAGES <= len(msgs) <= MAX_MESSAGES:
            continue
        msgs.sort()
        names = [n for _, n in msgs]
        half = len(names) // 2
        out[addr] = (names[:half], names[half:])
    return out


def slug(addr):
    return re.sub(r"[^a-z0-9]+", "-", addr).strip("-")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?",
                    default=os.path.join(ROOT, "..", "shared", "corpora", "spamassassin",
                                         "easy-ham-1"))
    ap.add_argument("--rewrites", default=os.path.join(ROOT, "data", "voice-rewrites"))
    ap.add_argument("--json", help="write every author's results here")
    ap.add_argument("--examples", type=int, default=0,
                    help="print this many flagged rewrites and own messages with their reasons")
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit(f"skipped: no corpus at {args.corpus}")
    people = authors(args.corpus)
    unchanged = set()
    listed = os.path.join(args.rewrites, "UNCHANGED.txt")
    if os.path.exists(listed):
        with open(listed) as fh:
            unchanged = {line.strip() for line in fh if line.strip()}
    manifest = []
    for addr, (early, late) in people.items():
        s = slug(addr)
        rw = os.path.join(args.rewrites, s)
        polished = [os.path.join(rw, n) for n in sorted(os.listdir(rw))
                    if f"{s}/{n}" not in unchanged] if os.path.isdir(rw) else []
        manifest.append({"name": addr,
                         "learn": [os.path.join(args.corpus, n) for n in early],
                         "later": [os.path.join(args.corpus, n) for n in late],
                         "polished": polished})
    run = subprocess.run(["cargo", "run", "-q", "--release", "--locked", "-p", "redline-voice",
                          "--example", "eval_voice"], cwd=ROOT, check=True,
                         input=json.dumps({"authors": manifest}), capture_output=True, text=True)
    results = [json.loads(line) for line in run.stdout.splitlines()]
    totals = collections.Counter()

    def count(rows):
        return sum(1 for r in rows if r["flagged"]), len(rows)

    def pct(k, n):
        return f"{100 * k / n:5.1f}% ({k}/{n})" if n else "-"

    print(f"{'author':30} {'msgs':>4} {'own later':>16} {'own rewritten':>16} "
          f"{'polished':>16} {'others':>18}")
    for r in results:
        if "refused" in r:
            print(f"{r['author']:30} refused: {r['refused']}")
            continue
        rewritten = {os.path.basename(p["path"])[:-4] for p in r["polished"]}
        paired = [o for o in r["own"] if os.path.basename(o["path"])[:-4] in rewritten]
        row = {"own": count(r["own"]), "paired": count(paired),
               "polished": count(r["polished"]), "others": count(r["others"])}
        for key, (k, n) in row.items():
            totals[key + "_k"] += k
            totals[key + "_n"] += n
        print(f"{r['author']:30} {r['messages']:>4} {pct(*row['own']):>16} "
              f"{pct(*row['paired']):>16} {pct(*row['polished']):>16} {pct(*row['others']):>18}")
    print()
    for key, label, target in [("own", "own later mail flagged", "<= 10%"),
                               ("paired", "  of which messages with a rewrite", ""),
                               ("polished", "AI-polished rewrites flagged", ">= 80%"),
                               ("others", "another person's mail flagged", ">= 60%")]:
        k, n = totals[key + "_k"], totals[key + "_n"]
        print(f"{label:40} {pct(k, n):>20}   target {target or '-'}")
    profiles = sum(1 for r in results if "refused" not in r)
    print(f"{profiles} profiles of {len(people)} authors (earlier half by Date learned, "
          f"later half tested)")
    if args.examples:
        for r in results:
            for kind in ("polished", "own"):
                for x in [x for x in r.get(kind, []) if x["flagged"]][:args.examples]:
                    print(f"{kind} {os.path.basename(x['path'])} {x['distance']:.1f}: "
                          + "; ".join(x["top"]))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh)


if __name__ == "__main__":
    main()
