"""A small synthetic FNC-1 checkout, written for these tests (invented text, no corpus)."""

from __future__ import annotations

import csv
from pathlib import Path

from claimx.datasets.fnc1 import BODIES_FILE, STANCES_FILE

# Each topic: the actor, the act, the place (invented, distinctive words).
TOPICS = [
    ("Zorvan", "flooded", "Quillport"),
    ("Maribel", "sold", "Dunhaven"),
    ("Teskar", "closed", "Pellmoor"),
    ("Ondrine", "bought", "Varrick"),
    ("Halvek", "opened", "Brisbury"),
    ("Corvina", "burned", "Saltmere"),
    ("Brannoc", "painted", "Ivywick"),
    ("Elspeth", "stole", "Kettleby"),
    ("Yarrow", "repaired", "Lowfen"),
    ("Pimsley", "banned", "Greyholt"),
    ("Rudwick", "cancelled", "Ashcombe"),
    ("Sorrel", "launched", "Farrowdale"),
]
FILLER = "The weather was mild and the markets were calm on the day. Traffic moved slowly."


def headline(topic: int, variant: int = 0) -> str:
    actor, act, place = TOPICS[topic]
    return [f"{actor} {act} the {place} tower", f"Neighbours fear {actor} {act} the {place} tower"][
        variant
    ]


def body(topic: int, stance: str) -> str:
    actor, act, place = TOPICS[topic]
    event = f"{actor} {act} the {place} tower on Monday"
    lead = {
        "agree": f"Officials confirmed that {event}.",
        "disagree": f"The story that {event} is a hoax, and the report is false.",
        "discuss": f"{actor} reportedly {act} the {place} tower, according to unconfirmed claims.",
    }[stance]
    return f"{lead}\n\n{FILLER}\n\nResidents of {place} gathered near the tower."


def write_fnc1(root: Path) -> Path:
    """Three bodies per topic (agree, disagree, discuss), each paired with its topic's two
    headlines and, as unrelated pairs, with the next topic's headlines and a headline
    about the same place."""
    bodies: dict[int, str] = {}
    rows: list[tuple[str, int, str]] = []
    for t in range(len(TOPICS)):
        for k, stance in enumerate(("agree", "disagree", "discuss")):
            body_id = 3 * t + k
            bodies[body_id] = body(t, stance)
            other = (t + 1) % len(TOPICS)
            for v in (0, 1):
                rows.append((headline(t, v), body_id, stance))
                rows.append((headline(other, v), body_id, "unrelated"))
            # Unrelated, but about the same place: the kind the screen lets through.
            actor, _, place = TOPICS[t]
            rows.append((f"{actor} praised the {place} tower", body_id, "unrelated"))
    root.mkdir(parents=True, exist_ok=True)
    with (root / STANCES_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("Headline", "Body ID", "Stance"))
        writer.writerows(rows)
    with (root / BODIES_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("Body ID", "articleBody"))
        writer.writerows(bodies.items())
    return root
