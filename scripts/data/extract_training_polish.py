#!/usr/bin/env python3
"""Picks training-split human mail for "polish this draft" rewrites (the voice score's paired data).

Same topic, two voices: a person's own text, and a language model's polish of it. Training on
such pairs teaches the score the voice rather than the topic. Only the training split is used
(the held-out fifth of senders, as in scripts/voice_score.py, is never touched), and none of
the authors whose mail the voice-profile evaluation rewrote (extract_for_polish.py).

    python3 scripts/data/extract_training_polish.py ../shared/corpora/spamassassin OUT

writes OUT/ham/<message>.txt (400) and OUT/spam/<message>.txt (200): the author's own text,
40-300 words. Derived from the corpus and NOT committed; only the rewrites are.
"""
import email
import email.utils
import hashlib
import os
import random
import sys
from email import policy

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_for_polish import MAX_MESSAGES, MIN_MESSAGES, ROBOTS, own_text  # noqa: E402

SEED = 20261127


def held_out(key):
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 5 == 0


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    rng = random.Random(SEED)
    for folder, take in (("easy-ham-1", 400), ("spam-1", 200)):
        d = os.path.join(corpus, folder)
        senders, msgs = {}, []
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), "rb") as fh:
                msg = email.message_from_binary_file(fh, policy=policy.compat32)
            addr = email.utils.parseaddr(str(msg.get("From", "")))[1].lower()
            senders[addr] = senders.get(addr, 0) + 1
            msgs.append((name, addr, msg))
        picked = []
        for name, addr, msg in msgs:
            key = (addr or name) if folder == "easy-ham-1" else name
            if held_out(key) or addr in ROBOTS:
                continue
            if folder == "easy-ham-1" and MIN_MESSAGES <= senders[addr] <= MAX_MESSAGES:
                continue
            text = own_text(msg)
            if 40 <= len(text.split()) <= 300:
                picked.append((name, text))
        rng.shuffle(picked)
        sub = os.path.join(out, "ham" if folder == "easy-ham-1" else "spam")
        os.makedirs(sub, exist_ok=True)
        for name, text in sorted(picked[:take]):
            with open(os.path.join(sub, name.rsplit(".", 1)[0] + ".txt"), "w") as fh:
                fh.write(text + "\n")
        print(f"{folder}: {min(take, len(picked))} of {len(picked)} eligible", file=sys.stderr)


if __name__ == "__main__":
    main()
