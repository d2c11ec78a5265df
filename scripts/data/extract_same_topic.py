#!/usr/bin/env python3
"""Picks human mail whose topics a language model then writes about afresh: AI-written and
human-written mail on the same topics, so the voice score learns and is judged on the voice
rather than the topic.

    python3 scripts/data/extract_same_topic.py ../shared/corpora/spamassassin OUT [--train]

Without `--train`, only the held-out split of scripts/voice_score.py is used (easy-ham-1
senders whose From address hashes into the held-out fifth, spam-1 pitches whose file name
does): up to 150 + 50 messages for the evaluation in data/voice-same-topic/. With `--train`,
only the training split, leaving out the voice-profile authors (15-55 messages each, whose
mail the profile evaluation uses): 200 + 60 messages for data/voice-same-topic-train/.

Writes OUT/ham/<message>.txt and OUT/spam/<message>.txt: the author's own text, 40-300 words.
Derived from the corpus and NOT committed; only the requests written from them
(`requests.jsonl`) and the drafts answering those are.
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

SEED = 20261128
TAKE = {False: (("easy-ham-1", 150), ("spam-1", 50)), True: (("easy-ham-1", 200), ("spam-1", 60))}


def held_out(key):
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 5 == 0


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    train = "--train" in sys.argv[3:]
    rng = random.Random(SEED)
    for folder, take in TAKE[train]:
        d = os.path.join(corpus, folder)
        msgs, senders, picked = [], {}, []
        for name in sorted(os.listdir(d)):
            with open(os.path.join(d, name), "rb") as fh:
                msg = email.message_from_binary_file(fh, policy=policy.compat32)
            addr = email.utils.parseaddr(str(msg.get("From", "")))[1].lower()
            senders[addr] = senders.get(addr, 0) + 1
            msgs.append((name, addr, msg))
        for name, addr, msg in msgs:
            key = (addr or name) if folder == "easy-ham-1" else name
            if held_out(key) == train or addr in ROBOTS:
                continue
            profiled = MIN_MESSAGES <= senders[addr] <= MAX_MESSAGES
            if train and folder == "easy-ham-1" and profiled:
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
