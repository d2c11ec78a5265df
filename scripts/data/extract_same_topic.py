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
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_for_polish import (  # noqa: E402
    MAX_MESSAGES, MIN_MESSAGES, ROBOTS, arguments, held_out, own_text, read_folder, write_sample)

SEED = 20261128
TAKE = {False: (("easy-ham-1", 150), ("spam-1", 50)), True: (("easy-ham-1", 200), ("spam-1", 60))}


def main():
    args = arguments("--train")
    corpus, out, train = args.corpus, args.out, args.train
    rng = random.Random(SEED)
    for folder, take in TAKE[train]:
        msgs, senders = read_folder(os.path.join(corpus, folder))
        picked = []
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
        write_sample(out, folder, picked, take, rng)


if __name__ == "__main__":
    main()
