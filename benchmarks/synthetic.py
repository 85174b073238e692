"""Generate a synthetic knowledge directory that passes `steward check`.

    python benchmarks/synthetic.py OUT_DIR [--entries 10000] [--alternates 4] [--es-alternates 4]

Entries ask about made-up organisations, people and places in ordinary English and Spanish
words, cite real quotes from the bundled sources, and carry a Spanish translation (required for
shared entries). With the defaults: about 50,000 English and 50,000 Spanish phrasings.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.paths import BUNDLED_KNOWLEDGE  # noqa: E402

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "te",
    "su",
    "vo",
    "ne",
    "zi",
    "pa",
    "do",
    "re",
    "la",
    "fi",
    "mo",
    "ta",
    "ke",
    "ru",
    "no",
    "sa",
    "be",
    "gu",
]
EN_TOPICS = (
    "contract",
    "strike",
    "vote",
    "dues",
    "steward",
    "grievance",
    "picket",
    "wage",
    "safety",
    "schedule",
    "overtime",
    "bargaining",
    "election",
    "petition",
    "meeting",
)
EN_FORMS = (
    "When did the {org} {topic} happen in {place}?",
    "Who led the {org} {topic}?",
    "How many workers joined the {org} {topic} in {place}?",
    "What did {person} say about the {topic} at {org}?",
    "Where was the {org} {topic} held?",
    "Why did {org} workers start a {topic}?",
)
EN_ALTS = (
    "{org} {topic} {place}",
    "{person} {org} {topic} when",
    "what happened with {org} {topic}",
    "{topic} at {org} in {place} details",
    "who is {person} of {org}",
    "{org} {place} {topic} date",
    "tell me the {topic} story of {org}",
)
ES_FORMS = (
    "¿Cuándo fue la {topic} de {org} en {place}?",
    "¿Quién dirigió la {topic} de {org}?",
    "¿Cuántos trabajadores se unieron a la {topic} de {org}?",
)
ES_ALTS = (
    "{topic} de {org} en {place}",
    "que paso con la {topic} de {org}",
    "{person} y la {topic} de {org}",
    "cuando fue lo de {org} {place}",
    "quien es {person} de {org}",
)
ES_TOPICS = (
    "huelga",
    "votacion",
    "cuotas",
    "asamblea",
    "queja",
    "salario",
    "seguridad",
    "contrato",
    "horario",
    "eleccion",
    "peticion",
    "reunion",
)


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts))


def _quotes(root: Path) -> list[tuple[str, str]]:
    catalogue = yaml.safe_load((root / "sources.yaml").read_text(encoding="utf-8"))
    out: list[tuple[str, str]] = []
    for src in catalogue:
        text = (root / "sources" / src["file"]).read_text(encoding="utf-8")
        words = text.split()
        for i in range(0, max(len(words) - 8, 1), 9):
            out.append((src["id"], " ".join(words[i : i + 8])))
    return out


def generate(out: Path, entries: int, alternates: int, es_alternates: int, seed: int = 7) -> None:
    """Write a knowledge directory with `entries` entries under `out`."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "faq").mkdir(parents=True)
    shutil.copytree(BUNDLED_KNOWLEDGE / "sources", out / "sources")
    for name in ("sources.yaml", "synonyms.yaml", "common-words.txt"):
        shutil.copy(BUNDLED_KNOWLEDGE / name, out / name)
    quotes = _quotes(BUNDLED_KNOWLEDGE)
    used: set[str] = set()
    batch: list[dict[str, object]] = []
    for i in range(entries):
        fill = {
            "org": f"{_name(rng, 3)}{i}",
            "place": _name(rng, 2).title(),
            "person": f"{_name(rng, 2).title()} {_name(rng, 3).title()}",
            "topic": rng.choice(EN_TOPICS),
        }
        es_fill = dict(fill, topic=rng.choice(ES_TOPICS))
        question = rng.choice(EN_FORMS).format(**fill)
        alts = [a.format(**fill) for a in rng.sample(EN_ALTS, alternates)]
        es_q = rng.choice(ES_FORMS).format(**es_fill)
        es_alts = [a.format(**es_fill) for a in rng.sample(ES_ALTS, es_alternates)]
        source, quote = rng.choice(quotes)
        batch.append(
            {
                "id": f"synthetic-{i}",
                "question": question,
                "alternates": alts,
                "answer": f"The {fill['topic']} at {fill['org']} in {fill['place']} was led by "
                f"{fill['person']}.",
                "sources": [{"source": source, "quote": quote}],
                "translations": {
                    "es": {
                        "question": es_q,
                        "alternates": es_alts,
                        "answer": f"{fill['person']} dirigió la {es_fill['topic']}.",
                    }
                },
            }
        )
        used.add(question)
        if len(batch) == 500 or i == entries - 1:
            path = out / "faq" / f"synthetic-{i // 500:03d}.yaml"
            path.write_text(
                yaml.safe_dump(batch, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            batch = []


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--alternates", type=int, default=4)
    parser.add_argument("--es-alternates", type=int, default=4)
    args = parser.parse_args()
    generate(args.out, args.entries, args.alternates, args.es_alternates)
    print(f"wrote {args.entries} entries to {args.out}")


if __name__ == "__main__":
    main()
