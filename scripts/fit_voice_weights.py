#!/usr/bin/env python3
"""Fits the voice check's habit weights (crates/redline-voice/src/weights.rs) on training data
only, and measures them on authors they were not fitted on.

Training data:

- the easy-ham-1 authors of scripts/eval_voice.py (15-55 messages by From address; the
  earlier half by Date learned): each one's own messages, left out of their profile in turn,
  and their later mail are "own"; every other author's later mail is "another person";
- data/voice-polished/ham: rewrites of training-split senders' mail. Every sender there with
  11 or more messages in the corpus gets, for each rewritten message, a profile of their other
  messages; the original is "own", its rewrite is "polished".

The held-out rewrites (data/voice-rewrites) are only measured, never fitted on.

Each habit's signed deviation z (the `eval_voice` example prints them) becomes three inputs,
max(z, 0), max(-z, 0) and z^2, and a logistic regression with non-negative weights (so every
contribution adds to the distance) separates own mail from the other two kinds, each kind
weighted equally. The ridge penalty pulls the weights toward the equal-weight model (every
habit's z^2 counting PRIOR, as version 1 of the profile did), so a habit this mailing-list
corpus says little about (greetings, sign-offs: rare on lists, common in sales mail) keeps a
say instead of dropping to zero. Two-fold cross-validation by author (and by sender for the rewrites) gives
the figures on unseen writers, with each author's threshold set leave-one-out at the 95% point
of a log-normal as `redline voice learn` does: their own later mail, the development
rewrites, the held-out rewrites of their later mail (data/voice-rewrites: measured here, never
fitted on) and other authors' mail. The table printed last is fitted on everything.

VOICE_FIT_DUMP=FILE keeps the deviations the engine printed; VOICE_FIT_LOAD=FILE fits on a
kept file instead of running the engine again.

    python3 scripts/fit_voice_weights.py [CORPUS]      # needs numpy
"""
import collections
import email
import email.utils
import json
import os
import subprocess
import sys
from email import policy

import numpy as np

import eval_voice

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLISHED = os.path.join(ROOT, "data", "voice-polished")
L2 = 0.03
PRIOR = 0.05
# Habits this corpus cannot weigh: mailing-list mail seldom opens with a greeting or closes
# with a sign-off, while a rep's mail nearly always does ("you open with 'Hey', this says
# 'Dear'" is the first difference a prospect hears). Their z^2 weight is held here.
HELD = {"greeting": 0.1, "sign_off": 0.1}
ITERATIONS = 3000
MIN_THRESHOLD = 0.5  # as profile.rs
# own later mail, development rewrites, held-out rewrites, other authors' mail.
KINDS = ("own", "polished", "held", "others")


def senders(corpus):
    by = collections.defaultdict(list)
    for name in sorted(os.listdir(corpus)):
        with open(os.path.join(corpus, name), "rb") as fh:
            msg = email.message_from_binary_file(fh, policy=policy.compat32)
        by[email.utils.parseaddr(msg.get("From", ""))[1].lower()].append(name)
    return by


def held_out(addr):
    """The held-out rewrites of an author's later mail (measured, never fitted on)."""
    rewrites = os.path.join(ROOT, "data", "voice-rewrites")
    with open(os.path.join(rewrites, "UNCHANGED.txt")) as fh:
        unchanged = {line.strip() for line in fh if line.strip()}
    s = eval_voice.slug(addr)
    folder = os.path.join(rewrites, s)
    if not os.path.isdir(folder):
        return []
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder))
            if f"{s}/{n}" not in unchanged]


def manifest(corpus):
    people = eval_voice.authors(corpus)
    out = [{"name": a, "learn": [os.path.join(corpus, n) for n in early],
            "later": [os.path.join(corpus, n) for n in late], "polished": held_out(a)}
           for a, (early, late) in people.items()]
    by = senders(corpus)
    of = {n.split(".")[0]: (a, n) for a, names in by.items() for n in names}
    with open(os.path.join(POLISHED, "UNCHANGED.txt")) as fh:
        unchanged = {os.path.basename(line.strip()) for line in fh if line.strip()}
    ham = os.path.join(POLISHED, "ham")
    for f in sorted(os.listdir(ham)):
        if not f.endswith(".txt") or f in unchanged:
            continue
        addr, name = of[f.split(".")[0]]
        if len(by[addr]) < 11 or addr in people:
            continue
        out.append({"name": f"{addr}#{name}",
                    "learn": [os.path.join(corpus, n) for n in by[addr] if n != name],
                    "later": [os.path.join(corpus, name)],
                    "polished": [os.path.join(ham, f)], "others": []})
    return out


def run(authors):
    done = subprocess.run(["cargo", "run", "-q", "--release", "--locked", "-p", "redline-voice",
                           "--example", "eval_voice"], cwd=ROOT, check=True,
                          input=json.dumps({"authors": authors}), capture_output=True,
                          text=True)
    return [r for r in map(json.loads, done.stdout.splitlines()) if "refused" not in r]


def matrices(results):
    keys = sorted({f for r in results for x in r["own"] for f, _, _ in x["contributions"]})
    index = {k: i for i, k in enumerate(keys)}
    n = len(keys)

    def rows(items):
        m = np.zeros((len(items), 3 * n))
        for i, x in enumerate(items):
            for f, _, z in x["contributions"]:
                j = index[f]
                m[i, j], m[i, n + j], m[i, 2 * n + j] = max(z, 0), max(-z, 0), z * z
        return m

    # An author's rewrites are the held-out ones: kept apart as `held`, never fitted on.
    sets = [{"name": r["author"], "sender": r["author"].split("#")[0], "dev": "#" in r["author"],
             "loo": rows(r["loo"]), "own": rows(r["own"]),
             "polished": rows(r["polished"] if "#" in r["author"] else []),
             "held": rows([] if "#" in r["author"] else r["polished"]),
             "others": rows(r["others"])} for r in results]
    return keys, sets


def fit(sets, keys):
    """Non-negative logistic regression by accelerated projected gradient (deterministic)."""
    own = np.vstack([s[k] for s in sets for k in ("loo", "own") if len(s[k])])
    others = np.vstack([s["others"] for s in sets if len(s["others"])])
    polished = np.vstack([s["polished"] for s in sets if len(s["polished"])])
    x = np.vstack([own, others, polished])
    y = np.r_[np.zeros(len(own)), np.ones(len(others) + len(polished))]
    weight = np.r_[np.full(len(own), 1 / len(own)), np.full(len(others), 1 / len(others)),
                   np.full(len(polished), 1 / len(polished))] / 3
    n = len(keys)
    prior = np.r_[np.zeros(2 * n), np.full(n, PRIOR)]
    held = np.zeros(3 * n, dtype=bool)
    for key, value in HELD.items():
        if key in keys:
            i = keys.index(key)
            held[[i, n + i, 2 * n + i]] = True
            prior[2 * n + i] = value
    w, b = prior.copy(), 0.0
    v, vb, t = w.copy(), b, 1.0
    step = 1.0 / (0.25 * np.max(np.sum(x * x, axis=1)) + 2 * L2)
    for _ in range(ITERATIONS):
        p = 1 / (1 + np.exp(-np.clip(x @ v + vb, -30, 30)))
        g = weight * (p - y)
        w_next = np.maximum(v - step * (x.T @ g + 2 * L2 * (v - prior)), 0)
        w_next[held] = prior[held]
        b_next = vb - step * g.sum()
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        v = w_next + (t - 1) / t_next * (w_next - w)
        vb = b_next + (t - 1) / t_next * (b_next - b)
        w, b, t = w_next, b_next, t_next
    return w


def flagged(sets, w):
    k = collections.Counter()
    for s in sets:
        loo = s["loo"] @ w
        if len(loo) < 3:
            continue
        logs = np.log(np.maximum(loo, 1e-3))
        threshold = max(np.exp(logs.mean() + 1.6448536 * logs.std(ddof=1)), MIN_THRESHOLD)
        for kind in KINDS:
            d = s[kind] @ w
            k[kind] += int((d > threshold).sum())
            k[kind + "_n"] += len(d)
    return {kind: (k[kind], k[kind + "_n"]) for kind in KINDS}


def pct(k, n):
    return f"{100 * k / n:5.1f}% ({k}/{n})" if n else "-"


def main():
    if sys.argv[1:2] in (["-h"], ["--help"]):
        print(__doc__)
        return
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "..", "shared", "corpora", "spamassassin", "easy-ham-1")
    if not os.path.isdir(corpus):
        sys.exit(f"skipped: no corpus at {corpus}")
    if os.environ.get("VOICE_FIT_LOAD"):
        with open(os.environ["VOICE_FIT_LOAD"]) as fh:
            results = json.load(fh)
    else:
        results = run(manifest(corpus))
    if os.environ.get("VOICE_FIT_DUMP"):
        with open(os.environ["VOICE_FIT_DUMP"], "w") as fh:
            json.dump(results, fh)
    keys, sets = matrices(results)
    authors = [s for s in sets if not s["dev"]]
    dev_senders = sorted({s["sender"] for s in sets if s["dev"]})
    total = collections.Counter()
    print("two-fold cross-validation (fitted on one half of the writers, measured on the other)")
    for fold in (0, 1):
        train_a = {s["name"] for s in authors[fold::2]}
        train_d = set(dev_senders[fold::2])
        train = [s for s in sets if s["name"] in train_a or (s["dev"] and s["sender"] in train_d)]
        test = [s for s in sets if s not in train]
        r = flagged(test, fit(train, keys))
        print(f"  fold {fold}: own {pct(*r['own'])}, polished {pct(*r['polished'])}, "
              f"held-out rewrites {pct(*r['held'])}, others {pct(*r['others'])}")
        for kind, (k, n) in r.items():
            total[kind] += k
            total[kind + "_n"] += n
    print("  pooled: " + ", ".join(f"{kind} {pct(total[kind], total[kind + '_n'])}"
                                   for kind in KINDS))
    w = fit(sets, keys)
    n = len(keys)
    print("\npub(crate) const WEIGHTS: &[(&str, Weight)] = &[")
    for i, key in enumerate(keys):
        print(f'    ("{key}", w({w[i]:.3f}, {w[n + i]:.3f}, {w[2 * n + i]:.3f})),')
    print("];")


if __name__ == "__main__":
    main()
