"""Write a synthetic record of N valid events, for benchmarks: `bench/generate.py --events N --out DIR`.

Events spread over 1950-2025 with more in recent decades (as the real record), over every issue
area and kind, with spans, imprecise dates, actors and sources. Half the events go in one-event
files named `<date>-<id>.yaml`, half in list files of 500, so both layouts are measured. The real
vocabularies are copied in, so the result validates like the real record.
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

from alliance.canonical import render  # noqa: E402

WORDS = ("alliance treaty summit trade tariff nuclear missile exercise envoy sanctions talks command forces "
         "agreement visit statement election crisis investment semiconductor vaccine satellite").split()
ACTORS = ["Secretary of State", "Defense Minister", "Trade Minister", "USFK commander", "Special Representative",
          "National Assembly", "U.S. Congress", "Foreign Minister", "President", "Ambassador"]


def synthetic_event(rng: random.Random, index: int, topics: list[str], kinds: list[str]) -> dict:
    year = min(2025, int(1950 + 75 * rng.random() ** 0.7))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    precision = rng.choices(["day", "month", "year"], [90, 7, 3])[0]
    date = f"{year}-{month:02d}-{day:02d}" if precision == "day" else f"{year}-{month:02d}" if precision == "month" else str(year)
    event = {
        "id": f"synthetic-{index:06d}",
        "date": date,
        "title": f"Synthetic event {index}: {' '.join(rng.sample(WORDS, 4))}",
        "summary": " ".join(rng.sample(WORDS, 12)).capitalize() + ". " + " ".join(rng.sample(WORDS, 10)).capitalize() + ".",
        "topics": rng.sample(topics, rng.choice([1, 1, 2, 3])),
        "kind": rng.choice(kinds),
        "actors": rng.sample(ACTORS, rng.randint(0, 3)),
        "importance": rng.choices([1, 2, 3], [20, 65, 15])[0],
        "sources": [{"title": f"Source {index}", "publisher": "Synthetic Wire", "url": f"https://example.org/{index}"}],
    }
    if rng.random() < 0.08 and year < 2025:
        event["end_date"] = str(rng.randint(year + 1, min(2025, year + 5)))
    if index and rng.random() < 0.2:
        event["related"] = [f"synthetic-{rng.randrange(index):06d}"]
    return event


def generate(count: int, out: Path, seed: int = 1953) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "events" / "vocabulary", out / "vocabulary")
    topics = [t["id"] for t in yaml.safe_load((out / "vocabulary" / "topics.yaml").read_text())]
    kinds = [k["id"] for k in yaml.safe_load((out / "vocabulary" / "kinds.yaml").read_text())]
    events = [synthetic_event(rng, i, topics, kinds) for i in range(count)]
    for event in events:  # links go both ways, as the validator requires
        for target in event.get("related", []):
            back = events[int(target.rsplit("-", 1)[1])].setdefault("related", [])
            if event["id"] not in back:
                back.append(event["id"])
    singles, batched = events[: count // 2], events[count // 2:]
    for event in singles:
        (out / f"{event['date']}-{event['id']}.yaml").write_text(render(event), encoding="utf-8")
    for start in range(0, len(batched), 500):
        (out / f"batch-{start // 500:04d}.yaml").write_text(render(batched[start:start + 500]), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1953)
    args = parser.parse_args()
    generate(args.events, args.out, args.seed)
    print(f"Wrote {args.events} events to {args.out}")


if __name__ == "__main__":
    main()
