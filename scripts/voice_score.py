#!/usr/bin/env python3
"""Trains the shipped voice score and measures it on held-out mail, reproducibly.

    python3 scripts/voice_score.py train     # fit on the training split, write rules/corporate-ai/voice.toml
    python3 scripts/voice_score.py eval      # flag rates and AUC on both splits (JSON on stdout)
    python3 scripts/voice_score.py others CSV...   # flag rates on other models' mail, by label

Data (see data/voice-corpus/README.md):
- AI-drafted: data/voice-corpus/ai/<generator>/rNNNN.txt, answers to the neutral requests in
  data/voice-corpus/requests.jsonl; polished rewrites in data/voice-rewrites/.
- AI-polished rewrites of training-split human mail: data/voice-polished/ (training only).
- Short workplace mail (a meeting moved, a team lunch, a new hire): data/voice-workplace/
  (evaluation only: adding it to training moved none of the held-out figures).
- AI drafts written afresh on the topics of training-split human mail:
  data/voice-same-topic-train/ (training only; the held-out counterpart is data/voice-same-topic/).
- Human: ../shared/corpora/spamassassin/easy-ham-1 (mailing-list and personal mail) and
  spam-1 (human-written 2002 sales pitches), read in place, never copied.

Held-out split, by source, never by random line:
- every draft of one generator setting (gen-c, an email client's "Help me write");
- every short workplace draft;
- AI drafts for six of the thirty products (HELD_OUT_COMPANIES), from every generator;
- every polished rewrite (another task and topic: tech mail polished by a model);
- every same-topic draft (data/voice-same-topic/: a model writing afresh on the topic of one
  held-out human message, from a request naming only its recipient, points and facts), scored
  against the message it was written from (the AUC of AI vs human mail on the same topics);
- human mail whose From address hashes into the held-out fifth (all of an author's mail falls
  on one side), and spam-1 messages whose file name hashes into it.
"""
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from email.parser import BytesHeaderParser
from email.utils import parseaddr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "corpora", "spamassassin")
CORPUS = os.path.join(ROOT, "data", "voice-corpus")
REWRITES = os.path.join(ROOT, "data", "voice-rewrites")
POLISHED = os.path.join(ROOT, "data", "voice-polished")
SAME_TOPIC = os.path.join(ROOT, "data", "voice-same-topic")
SAME_TOPIC_TRAIN = os.path.join(ROOT, "data", "voice-same-topic-train")
WORKPLACE = os.path.join(ROOT, "data", "voice-workplace")
BINARY = os.environ.get("REDLINE") or os.path.join(ROOT, "target", "release", "redline")
HELD_OUT_GENERATORS = {"gen-c"}
HELD_OUT_COMPANIES = {
    "Northstar Analytics", "Stackyard", "Wayfinder Travel", "Cobalt Data", "SafeStep Training",
    "Greenleaf Packaging",
}


def held_out(key):
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 5 == 0


def requests():
    with open(os.path.join(CORPUS, "requests.jsonl")) as fh:
        return {r["id"]: r for r in map(json.loads, fh)}


def ai_drafts():
    """(path, generator, kind, held out?) for every generated draft."""
    reqs = requests()
    out = []
    base = os.path.join(CORPUS, "ai")
    for gen in sorted(os.listdir(base)):
        for name in sorted(os.listdir(os.path.join(base, gen))):
            rid = name.rsplit(".", 1)[0]
            r = reqs[rid]
            out.append((os.path.join(base, gen, name), gen, r["kind"],
                        gen in HELD_OUT_GENERATORS or r["company"] in HELD_OUT_COMPANIES))
    return out


def workplace():
    """(path, setting) for every short workplace draft (data/voice-workplace): all held out."""
    base = os.path.join(WORKPLACE, "ai")
    return [(os.path.join(base, setting, name), setting)
            for setting in sorted(os.listdir(base))
            for name in sorted(os.listdir(os.path.join(base, setting)))]


def rewrites():
    skip = set()
    unchanged = os.path.join(REWRITES, "UNCHANGED.txt")
    if os.path.exists(unchanged):
        skip = {l.strip() for l in open(unchanged) if l.strip()}
    out = []
    for author in sorted(os.listdir(REWRITES)):
        d = os.path.join(REWRITES, author)
        if not os.path.isdir(d):
            continue
        for name in sorted(os.listdir(d)):
            if f"{author}/{name}" not in skip:
                out.append(os.path.join(d, name))
    return out


def polished():
    """Polished rewrites of training-split human mail: AI-voiced, human-topic, for training."""
    skip = {l.strip() for l in open(os.path.join(POLISHED, "UNCHANGED.txt")) if l.strip()}
    return [os.path.join(POLISHED, sub, name)
            for sub in ("ham", "spam")
            for name in sorted(os.listdir(os.path.join(POLISHED, sub)))
            if f"{sub}/{name}" not in skip]


def same_topic(root=SAME_TOPIC):
    """(draft, original, "ham" | "spam") for every same-topic draft: a model's answer to a
    request written from one human message, paired with that message (read in place). The
    drafts under SAME_TOPIC answer held-out messages; those under SAME_TOPIC_TRAIN, training ones."""
    path = os.path.join(root, "requests.jsonl")
    if not os.path.exists(os.path.join(root, "ai")):
        return []
    sources = {}
    with open(path) as fh:
        for line in fh:
            r = json.loads(line)
            sources[r["id"]] = r["source"]
    folders = {"ham": "easy-ham-1", "spam": "spam-1"}
    out = []
    base = os.path.join(root, "ai")
    for gen in sorted(os.listdir(base)):
        for name in sorted(os.listdir(os.path.join(base, gen))):
            rid = name.rsplit(".", 1)[0]
            if rid not in sources:
                sys.exit(f"{os.path.join(base, gen, name)}: no request {rid} in {path}")
            sub, msg = sources[rid].split("/")
            out.append((os.path.join(base, gen, name),
                        os.path.join(SHARED, folders[sub], msg + ".eml"), sub))
    return out


def human(folder):
    """(path, held out?) for the messages of a corpus folder."""
    out = []
    d = os.path.join(SHARED, folder)
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if folder == "easy-ham-1":
            with open(path, "rb") as fh:
                sender = parseaddr(BytesHeaderParser().parse(fh).get("From", ""))[1].lower()
            key = sender or name
        else:
            key = name
        out.append((path, held_out(key)))
    return out


SLOT = re.compile(r"\[([^\]\n]{1,60})\]")
SLOT_VALUES = (  # (word in the slot, what a careful rep types there), first match wins
    ("first name", "Sam"), ("customer", "Harbor Freightways"), ("company", "Harbor Freightways"),
    ("name", "Jordan Reyes"), ("title", "Operations Lead"), ("email", "jordan@harborfw.com"),
    ("link", "https://harborfw.com/demo"), ("url", "https://harborfw.com/demo"),
    ("date", "Tuesday, March 4"), ("day", "Tuesday"), ("time", "10:30"), ("%", "18%"),
    ("city", "Denver"), ("trade show", "ProMat"),
)


def filled(text):
    """A draft with its bracketed slots filled in as a careful rep would before sending, so
    the placeholder rule cannot fire and the rest of the pack is measured."""
    def fill(m):
        slot = m.group(1).lower()
        if slot.strip() == "x":
            return "12"
        return next((v for k, v in SLOT_VALUES if k in slot), m.group(1))
    return SLOT.sub(fill, text)


def link_folder(root, name, paths, transform=None):
    d = os.path.join(root, name)
    os.makedirs(d)
    for i, p in enumerate(paths):
        ext = os.path.splitext(p)[1] or ".txt"
        out = os.path.join(d, f"{i:05d}{ext}")
        if transform:
            with open(p, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
                dst.write(transform(src.read()))
        else:
            shutil.copyfile(p, out)
    return d


def build():
    if os.environ.get("REDLINE"):
        return
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "redline-cli"],
                   cwd=ROOT, check=True)


def train():
    if not os.path.isdir(SHARED):
        sys.exit(f"needs the human corpora at {SHARED}")
    build()
    with tempfile.TemporaryDirectory() as tmp:
        same = [d for d, _, _ in same_topic(SAME_TOPIC_TRAIN)]
        ai = link_folder(tmp, "ai", [p for p, _, _, h in ai_drafts() if not h] + polished() + same)
        ham = link_folder(tmp, "ham", [p for p, h in human("easy-ham-1") if not h])
        spam = link_folder(tmp, "spam", [p for p, h in human("spam-1") if not h])
        out = os.path.join(tmp, "corporate-ai")
        subprocess.run([BINARY, "train", "--ai", ai, "--human", ham, "--human", spam, "-o", out,
                        "--warning-fpr", "0.015", "--error-fpr", "0"],
                       check=True)
        rule = open(os.path.join(out, "voice.toml")).read()
    with open(os.path.join(ROOT, "rules", "corporate-ai", "voice.toml"), "w") as fh:
        fh.write(rule)
    print("wrote rules/corporate-ai/voice.toml", file=sys.stderr)


def thresholds():
    rule = open(os.path.join(ROOT, "rules", "corporate-ai", "voice.toml")).read()
    get = lambda key: float(re.search(rf"^{key} = ([0-9.e-]+)$", rule, re.M).group(1))
    return get("warning"), get("error")


def probe_pack(tmp):
    """The shipped rule with its thresholds lowered, so every scored draft reports its figures."""
    d = os.path.join(tmp, "probe")
    os.makedirs(d)
    rule = open(os.path.join(ROOT, "rules", "corporate-ai", "voice.toml")).read()
    rule = rule.replace('id = "corporate-ai.voice"', 'id = "probe.voice"')
    rule = re.sub(r"^warning = .*$", "warning = 0.000001", rule, flags=re.M)
    rule = re.sub(r"^error = .*$", "error = 0.999999", rule, flags=re.M)
    # With every draft reported, the `good` example would fail the pack's own example test.
    rule = re.sub(r"^good = .*$", "good = []", rule, flags=re.M)
    open(os.path.join(d, "voice.toml"), "w").write(rule)
    open(os.path.join(d, "pack.toml"), "w").write(
        'name = "probe"\nversion = "0"\ndescription = "evaluation"\n')
    return d


def scores(paths, transform=None):
    """Per input: ((probability, unreported probability) or None when too short to score,
    the worst severity at warning or above of the pack's other rules or None)."""
    with tempfile.TemporaryDirectory() as tmp:
        d = link_folder(tmp, "x", paths, transform)
        run = subprocess.run([BINARY, "check", "--format", "json", "--fail-on", "never",
                              "--disable", "corporate-ai.voice", "--pack", probe_pack(tmp), d],
                             capture_output=True, text=True)
        by_link, others = {}, {}
        for line in run.stdout.splitlines():
            f = json.loads(line)
            name = os.path.basename(f["path"]).split("#")[0]
            if f.get("rule") == "probe.voice":
                e = f["evidence"]
                by_link[name] = (e["probability"], e["unreported_probability"])
            elif f["severity"] in ("warning", "error"):
                worst = others.get(name)
                others[name] = "error" if "error" in (worst, f["severity"]) else "warning"
        names = sorted(os.listdir(d))
        return [(by_link.get(n), others.get(n)) for n in names]


def rates(paths, transform=None):
    warning, error = thresholds()
    s = scores(paths, transform) if paths else []
    n = len(paths)
    scored = [v for v, _ in s if v]
    warn = sum(1 for p, _ in scored if p >= warning)
    err = sum(1 for _, u in scored if u >= error)
    voice = [("error" if v[1] >= error else "warning" if v[0] >= warning else None) if v else None
             for v, _ in s]
    rank = {None: 0, "warning": 1, "error": 2}
    pack = [max(v, o, key=rank.get) for v, (_, o) in zip(voice, s)]
    share = lambda k: round(k / n, 4) if n else None
    return {"n": n, "scored": len(scored),
            "score_warning_or_error": share(warn), "score_error": share(err),
            "pack_warning_or_error": share(sum(1 for x in pack if x)),
            "pack_error": share(sum(1 for x in pack if x == "error")),
            "probabilities": [p for p, _ in scored]}


def auc(pos, neg):
    pairs = [(p, 1) for p in pos] + [(p, 0) for p in neg]
    pairs.sort()
    rank, total, i = 0.0, 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        r = (i + j + 1) / 2
        total += r * sum(1 for k in range(i, j) if pairs[k][1])
        i = j
    np_, nn = len(pos), len(neg)
    return round((total - np_ * (np_ + 1) / 2) / (np_ * nn), 4) if np_ and nn else None


def evaluate():
    build()
    drafts = ai_drafts()
    report = {}
    for split, want in (("train", False), ("held_out", True)):
        r = {}
        for gen in sorted({g for _, g, _, _ in drafts}):
            paths = [p for p, g, _, h in drafts if h == want and g == gen]
            r[f"ai_drafts_{gen}"] = rates(paths)
        r["easy_ham_1"] = rates([p for p, h in human("easy-ham-1") if h == want])
        r["spam_1_human_pitches"] = rates([p for p, h in human("spam-1") if h == want])
        report[split] = r
    trained_on = [d for d, _, _ in same_topic(SAME_TOPIC_TRAIN)]
    if trained_on:
        report["train"]["same_topic_drafts"] = rates(trained_on)
    held = report["held_out"]
    held["ai_drafts_gen-c_slots_filled"] = rates(
        [p for p, g, _, h in drafts if h and g in HELD_OUT_GENERATORS], filled)
    held["ai_polished_rewrites"] = rates(rewrites())
    notes = workplace()
    for setting in sorted({s for _, s in notes}):
        held[f"workplace_{setting}"] = rates([p for p, s in notes if s == setting])
    ham = held["easy_ham_1"]["probabilities"]
    held["auc_rewrites_vs_held_out_ham"] = auc(
        held["ai_polished_rewrites"]["probabilities"], ham)
    for sub in ("ham", "spam"):
        pairs = [(d, o) for d, o, s in same_topic() if s == sub]
        if pairs:
            drafts, originals = rates([d for d, _ in pairs]), rates([o for _, o in pairs])
            held[f"same_topic_{sub}_drafts"] = drafts
            held[f"same_topic_{sub}_originals"] = originals
            held[f"auc_same_topic_{sub}"] = auc(drafts["probabilities"], originals["probabilities"])
    ai = [p for k, v in held.items() if k.startswith("ai_drafts") for p in v["probabilities"]]
    held["auc_ai_drafts_vs_human_pitches"] = auc(ai, held["spam_1_human_pitches"]["probabilities"])
    for r in report.values():
        for v in r.values():
            if isinstance(v, dict):
                v.pop("probabilities", None)
    print(json.dumps(report, indent=2))


def other_models():
    """Flag rates on mail another model wrote: CSV files with an `email` column (the message,
    its subject line included) and a `label` column, as in the gpt-4o mail of
    github.com/francesco-s/synthetic-email-generation-and-classification (`data/*.csv`; it
    has no licence, so it is read from a clone and never committed). Duplicate messages count
    once. Never used to train or tune anything: the held-out "other models" row."""
    files = sys.argv[2:]
    if not files:
        sys.exit("usage: voice_score.py others CSV...")
    build()
    by_label, seen = {}, set()
    for f in files:
        with open(f, encoding="utf-8", newline="") as fh:
            rows = csv.DictReader(fh)
            if "email" not in (rows.fieldnames or []):
                sys.exit(f"{f}: no `email` column (found {rows.fieldnames})")
            for row in rows:
                text = (row["email"] or "").strip()
                if text and text not in seen:
                    seen.add(text)
                    by_label.setdefault(row.get("label") or "all", []).append(text)
    report = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, texts in sorted(by_label.items()):
            paths = []
            for i, text in enumerate(texts):
                path = os.path.join(tmp, f"{label}-{i:05d}.txt")
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
                paths.append(path)
            r = rates(paths)
            r.pop("probabilities")
            words = sorted(len(t.split()) for t in texts)
            r["median_words"] = words[len(words) // 2]
            report[label] = r
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    commands = {"train": train, "eval": evaluate, "others": other_models}
    command = sys.argv[1] if len(sys.argv) > 1 else "eval"
    if command in ("-h", "--help"):
        print(__doc__)
    elif command in commands:
        commands[command]()
    else:
        print(f"voice_score.py: unknown command `{command}`; one of: {', '.join(commands)}"
              " (--help says more)", file=sys.stderr)
        sys.exit(2)
