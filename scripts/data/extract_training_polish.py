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
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_for_polish import (  # noqa: E402
    MAX_MESSAGES, MIN_MESSAGES, ROBOTS, arguments, held_out, own_text, read_folder, write_sample)

SEED = 20261127


def main():
    args = arguments()
    corpus, out = args.corpus, args.out
    rng = random.Random(SEED)
    for folder, take in (("easy-ham-1", 400), ("spam-1", 200)):
        msgs, senders = read_folder(os.path.join(corpus, folder))
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
        write_sample(out, folder, picked, take, rng)


if __name__ == "__main__":
    main()
