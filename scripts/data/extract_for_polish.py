#!/usr/bin/env python3
"""Extracts what an author wrote in their own messages, as input for "polish this draft".

Picks authors of ../shared/corpora/spamassassin/easy-ham-1 with 15-55 messages by From address
(mailing-list robots excluded), orders each author's mail by Date, and for the later half writes
the author's own text (text/plain, without quoted lines, attributions, forwards or signatures; 25-400 words)
to OUT/<author-slug>/<message-file>.txt. The output is derived from the corpus and is NOT
committed; only the rewrites a language model makes from it are.

    python3 scripts/data/extract_for_polish.py ../shared/corpora/spamassassin/easy-ham-1 OUT
"""
import argparse
import collections
import email
import email.utils
import hashlib
import os
import re
import sys
from email import policy

ROBOTS = {"rssfeeds@spamassassin.taint.org", "bugzilla-daemon@hughes-family.org",
          "yyyy@spamassassin.taint.org"}
MIN_MESSAGES, MAX_MESSAGES, MIN_WORDS, MAX_WORDS = 15, 55, 25, 400
ATTRIBUTION = re.compile(r"(wrote|writes|said):\s*$|^-+ ?(Original|Forwarded) Message", re.I)


def own_text(msg):
    part = next((p for p in msg.walk() if p.get_content_type() == "text/plain"), None)
    if part is None:
        return ""
    raw = part.get_payload(decode=True) or b""
    try:
        text = raw.decode(part.get_content_charset() or "latin-1", errors="replace")
    except LookupError:
        text = raw.decode("latin-1")
    kept = []
    for line in text.splitlines():
        if line.rstrip() in ("--", "-- ") or line.startswith("_______________"):
            break
        if ATTRIBUTION.search(line):
            if line.lstrip().startswith("-"):
                break
            continue
        if line.lstrip().startswith((">", "|")):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def held_out(key):
    """Whether a sender (easy-ham-1) or a file name (spam-1) falls in the held-out fifth of
    scripts/voice_score.py."""
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 5 == 0


def read_folder(folder):
    """(name, From address, message) for every file of a corpus folder, in name order, and
    how many messages each address sent."""
    msgs, senders = [], collections.Counter()
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as fh:
            msg = email.message_from_binary_file(fh, policy=policy.compat32)
        addr = email.utils.parseaddr(str(msg.get("From", "")))[1].lower()
        senders[addr] += 1
        msgs.append((name, addr, msg))
    return msgs, senders


def write_sample(out, folder, picked, take, rng):
    """Writes `take` of the eligible (name, own text) pairs, drawn with `rng`, as
    OUT/ham/<message>.txt (easy-ham-1) or OUT/spam/<message>.txt (spam-1)."""
    rng.shuffle(picked)
    sub = os.path.join(out, "ham" if folder == "easy-ham-1" else "spam")
    os.makedirs(sub, exist_ok=True)
    for name, text in sorted(picked[:take]):
        with open(os.path.join(sub, name.rsplit(".", 1)[0] + ".txt"), "w") as fh:
            fh.write(text + "\n")
    print(f"{folder}: {min(take, len(picked))} of {len(picked)} eligible", file=sys.stderr)


def arguments(*flags: str) -> argparse.Namespace:
    """The command line of the extract scripts: the corpus folder, the output folder, and any
    `flags` (each a switch); usage errors exit 2 and `--help` prints the script's docstring."""
    parser = argparse.ArgumentParser(
        description=sys.modules["__main__"].__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("corpus", help="the corpus folder to read")
    parser.add_argument("out", help="the folder to write into")
    for flag in flags:
        parser.add_argument(flag, action="store_true")
    return parser.parse_args()


def main():
    args = arguments()
    corpus, out = args.corpus, args.out
    by_author = collections.defaultdict(list)
    for name in sorted(os.listdir(corpus)):
        with open(os.path.join(corpus, name), "rb") as fh:
            msg = email.message_from_binary_file(fh, policy=policy.compat32)
        addr = email.utils.parseaddr(msg.get("From", ""))[1].lower()
        date = email.utils.parsedate_tz(msg.get("Date", "")) or None
        stamp = email.utils.mktime_tz(date) if date else 0
        by_author[addr].append((stamp, name, msg))
    for addr, msgs in sorted(by_author.items()):
        if addr in ROBOTS or not MIN_MESSAGES <= len(msgs) <= MAX_MESSAGES:
            continue
        msgs.sort(key=lambda m: (m[0], m[1]))
        slug = re.sub(r"[^a-z0-9]+", "-", addr).strip("-")
        later = msgs[len(msgs) // 2:]
        written = 0
        for _, name, msg in later:
            text = own_text(msg)
            if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
                continue
            os.makedirs(os.path.join(out, slug), exist_ok=True)
            with open(os.path.join(out, slug, name.rsplit(".", 1)[0] + ".txt"), "w") as fh:
                fh.write(text + "\n")
            written += 1
        print(f"{addr}: {len(msgs)} messages, {written} later ones with own text", file=sys.stderr)


if __name__ == "__main__":
    main()
