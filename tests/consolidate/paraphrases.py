"""Hand-written and model-written paraphrases of the gold's propositions, labelled.

The grouping is measured four ways (:func:`figures`); print them with
``python -c "from tests.consolidate.paraphrases import print_figures; print_figures()"``.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from claimx.consolidate.grouping import group_propositions
from claimx.consolidate.quality import pairwise_quality

# The canonical wordings of eval/notes/CANONICAL.md.
CANONICAL: dict[str, str] = {
    "P-US-INVOLVED": "The United States was involved in the drone attack on the Kremlin.",
    "P-WASH-DECIDES": (
        "Decisions on attacks such as the drone attack on the Kremlin are made in Washington, "
        "not in Kyiv."
    ),
    "P-WASH-TARGETS": "Washington selects the targets of Ukraine's attacks.",
    "P-WASH-MEANS": "Washington selects the means of Ukraine's attacks.",
    "P-KYIV-OBEYS": "Kyiv does what Washington tells it to do.",
    "P-PESKOV-LYING": (
        "Dmitry Peskov is lying about US involvement in the drone attack on the Kremlin."
    ),
    "P-REAL-ATTACK": "The drone incident at the Kremlin was a real attack as Russia describes it.",
    "P-US-ENCOURAGES": "The United States encourages Ukraine to strike outside Ukraine.",
    "P-US-ENABLES": "The United States enables Ukraine to strike outside Ukraine.",
    "P-UKR-DID-IT": "Ukraine carried out the drone attack on the Kremlin.",
    "P-AIM-KILL-PUTIN": "The drone attack on the Kremlin was an attempt to kill Vladimir Putin.",
    "P-TERRORIST": "The drone attack on the Kremlin was a terrorist attack.",
    "P-STAGED": "Russia staged the drone incident at the Kremlin.",
    "P-DENIALS-RIDICULOUS": (
        "The US and Ukrainian denials of involvement in the drone attack on the Kremlin are "
        "ridiculous."
    ),
}

# Hand-written paraphrases, labelled by proposition (X-*: other propositions,
# distractors). DEV: the lexicon and the threshold were chosen on it.
DEV: list[tuple[str, str]] = [
    ("P-US-INVOLVED", "Washington was behind the Kremlin drone strike."),
    ("P-WASH-DECIDES", "Washington, not Kyiv, decides on attacks like the one on the Kremlin."),
    ("P-WASH-TARGETS", "The US chooses which targets Ukraine attacks."),
    ("P-WASH-MEANS", "The US chooses the weapons and means Ukraine uses in its attacks."),
    ("P-KYIV-OBEYS", "Kyiv follows Washington's orders."),
    ("P-PESKOV-LYING", "Peskov is lying when he says the US was involved in the Kremlin attack."),
    ("P-REAL-ATTACK", "The Kremlin drone incident really was an attack, as Moscow claims."),
    (
        "P-US-ENCOURAGES",
        "Washington encourages Kyiv to carry out strikes beyond Ukraine's borders.",
    ),
    ("P-US-ENABLES", "The US enables Ukrainian strikes outside Ukraine's territory."),
    ("P-UKR-DID-IT", "Ukrainian forces attacked the Kremlin with drones."),
    ("P-AIM-KILL-PUTIN", "The Kremlin drone attack was an assassination attempt on Putin."),
    ("P-TERRORIST", "The drone strike on the Kremlin was an act of terrorism."),
    ("P-STAGED", "The Kremlin drone incident was a false flag staged by Russia."),
    (
        "P-DENIALS-RIDICULOUS",
        "Kyiv's and Washington's denials of a role in the Kremlin attack are absurd.",
    ),
    ("X-RETALIATE", "Russia will retaliate against Ukraine for the drone attack on the Kremlin."),
    ("X-PREPARING-TERROR", "Russia is preparing a large-scale terrorist attack."),
    (
        "X-AID-PACKAGE",
        "The United States is providing Ukraine with a new $300 million military aid package.",
    ),
    ("X-DISSUADE", "American officials have dissuaded Ukraine from provocative strikes on Moscow."),
]

# Written together with DEV, before the lexicon; not used to choose anything, but
# seen while writing the lexicon, so optimistic.
TEST: list[tuple[str, str]] = [
    ("P-US-INVOLVED", "The US took part in the drone attack against the Kremlin."),
    ("P-US-INVOLVED", "America had a role in the attack on the Kremlin with drones."),
    (
        "P-WASH-DECIDES",
        "Decisions about attacks like the Kremlin drone strike are taken in Washington rather "
        "than Kyiv.",
    ),
    ("P-WASH-DECIDES", "It is Washington, and not Kyiv, that makes the decisions on such attacks."),
    ("P-WASH-TARGETS", "Washington picks the targets for Ukraine's strikes."),
    ("P-WASH-TARGETS", "The targets of Ukrainian attacks are determined by Washington."),
    ("P-WASH-MEANS", "Washington determines the means Ukraine uses to attack."),
    ("P-WASH-MEANS", "The means of Ukraine's attacks are selected by the United States."),
    ("P-KYIV-OBEYS", "Ukraine does whatever Washington tells it."),
    ("P-KYIV-OBEYS", "Kyiv obeys the instructions of the United States."),
    (
        "P-PESKOV-LYING",
        "Dmitry Peskov lied about American involvement in the Kremlin drone attack.",
    ),
    (
        "P-PESKOV-LYING",
        "The Kremlin spokesman Peskov is lying about the US role in the drone strike.",
    ),
    ("P-REAL-ATTACK", "The incident at the Kremlin was an actual drone attack, as Russia says."),
    ("P-REAL-ATTACK", "A real drone attack on the Kremlin took place as described by Russia."),
    ("P-US-ENCOURAGES", "The US encourages Ukraine to attack targets outside its borders."),
    ("P-US-ENCOURAGES", "America urges Ukraine to strike beyond Ukraine."),
    ("P-US-ENABLES", "The United States makes it possible for Ukraine to strike outside Ukraine."),
    ("P-US-ENABLES", "Washington enables Kyiv to hit targets outside Ukrainian territory."),
    ("P-UKR-DID-IT", "Ukraine was responsible for the drone attack on the Kremlin."),
    ("P-UKR-DID-IT", "Kyiv launched the drones that attacked the Kremlin."),
    ("P-AIM-KILL-PUTIN", "The drone attack on the Kremlin was meant to kill President Putin."),
    (
        "P-AIM-KILL-PUTIN",
        "The drones sent to the Kremlin were an attempt on Vladimir Putin's life.",
    ),
    ("P-TERRORIST", "The Kremlin drone attack was a terrorist act."),
    ("P-TERRORIST", "The attack on the Kremlin with two drones was terrorism."),
    ("P-STAGED", "Russia faked the drone incident at the Kremlin."),
    ("P-STAGED", "The drone incident at the Kremlin was staged by Moscow itself."),
    (
        "P-DENIALS-RIDICULOUS",
        "It is ridiculous for Washington and Kyiv to deny involvement in the Kremlin drone attack.",
    ),
    (
        "P-DENIALS-RIDICULOUS",
        "The American and Ukrainian denials that they attacked the Kremlin are absolutely "
        "ridiculous.",
    ),
    (
        "X-RETALIATE",
        "Moscow reserves the right to respond to the Kremlin attack when and where it chooses.",
    ),
    ("X-PREPARING-TERROR", "Russia is getting ready to carry out a large terrorist attack."),
    (
        "X-AID-PACKAGE",
        "The Pentagon announced another $300 million security assistance package for Ukraine.",
    ),
    (
        "X-DISSUADE",
        "US officials have discouraged Ukraine from potentially provocative strikes on Moscow.",
    ),
    (
        "X-ISW",
        "It is extremely unlikely that two drones could have reached the Kremlin undetected.",
    ),
    ("X-PUTIN-TRIAL", "Putin will stand trial after Ukraine wins the war."),
    ("X-PARADE", "The Moscow Victory Day parade will go ahead as usual."),
    (
        "X-DIRECT-INVOLVEMENT",
        "The direct involvement of the United States in the conflict in Ukraine is very dangerous.",
    ),
]

# Written after the lexicon and the threshold were frozen.
HOLDOUT: list[tuple[str, str]] = [
    ("P-US-INVOLVED", "The Americans had a hand in the drone strike on the Kremlin."),
    ("P-WASH-DECIDES", "Such attacks are decided on in Washington, not in Kyiv."),
    ("P-WASH-TARGETS", "Washington is the one that chooses what Ukraine targets."),
    ("P-WASH-MEANS", "Washington decides which means Ukraine uses for its attacks."),
    ("P-KYIV-OBEYS", "Kyiv simply carries out Washington's instructions."),
    (
        "P-PESKOV-LYING",
        "Peskov is not telling the truth about the US role in the Kremlin drone attack.",
    ),
    ("P-REAL-ATTACK", "What happened at the Kremlin was a genuine drone attack, as Moscow says."),
    ("P-US-ENCOURAGES", "Washington is encouraging Ukrainian strikes on targets outside Ukraine."),
    ("P-US-ENABLES", "The United States gives Ukraine the ability to strike outside Ukraine."),
    ("P-UKR-DID-IT", "The drones that hit the Kremlin were launched by Ukraine."),
    ("P-AIM-KILL-PUTIN", "The goal of the drone attack on the Kremlin was to assassinate Putin."),
    ("P-TERRORIST", "The drone attack on the Kremlin amounted to terrorism."),
    ("P-STAGED", "The Kremlin drone incident was fabricated by Russia."),
    (
        "P-DENIALS-RIDICULOUS",
        "Denials by Washington and Kyiv that they were involved in the Kremlin attack are "
        "laughable.",
    ),
    (
        "X-RESPOND",
        "Russia will respond to the drone attack on the Kremlin wherever and whenever it wants.",
    ),
    ("X-35B", "The US has given Ukraine $35.7 billion in security assistance."),
    ("X-98PCT", "Zelensky has about 98 percent of what his forces need for the counteroffensive."),
    ("X-AIR-ASSAULT", "Russia is planning a massive air assault on civilian targets in Ukraine."),
]

# Claims as the extraction models wrote them (eval/cassettes), labelled by
# proposition; NEG-* are negated wordings, kept apart by design. Wording not
# written by the author of the lexicon: the most honest of the four checks.
MODEL: list[tuple[str, str]] = [
    (
        "P-US-INVOLVED",
        "Russian leaders are speculating that the United States is behind the alleged attack on "
        "President Vladimir Putin’s life.",
    ),
    ("P-US-INVOLVED", "The White House is involved in an alleged drone attack on the Kremlin."),
    (
        "P-US-INVOLVED",
        "The United States is behind the alleged drone attack on Moscow’s Kremlin citadel "
        "intended to kill President Vladimir Putin.",
    ),
    (
        "P-US-INVOLVED",
        "The United States is behind the alleged attack on President Vladimir Putin’s life.",
    ),
    ("P-US-INVOLVED", "The US is responsible for the drone attack on Moscow's Kremlin citadel."),
    ("P-US-INVOLVED", "The United States was involved in the attack."),
    ("P-US-INVOLVED", "The US is behind the alleged attack."),
    ("P-US-INVOLVED", "The US was involved in the attack."),
    (
        "P-US-INVOLVED",
        "The United States is responsible for the alleged drone assassination attempt on "
        "President Putin.",
    ),
    (
        "P-US-INVOLVED",
        "The United States is responsible for the alleged attack on President Putin’s life.",
    ),
    ("P-US-INVOLVED", "Washington directed the drone attack on Putin."),
    ("P-US-INVOLVED", "The United States ordered the drone attack on Putin."),
    ("P-US-INVOLVED", "The United States is involved in the attack."),
    ("P-US-INVOLVED", "The U. S. was involved in the drone attack."),
    ("P-US-INVOLVED", "The White House was involved in the alleged drone attack on the Kremlin."),
    ("P-US-INVOLVED", "The Kremlin accuses the United States of directing drone attacks on Putin."),
    (
        "P-US-INVOLVED",
        "Dmitry Peskov claims that the US is behind the alleged drone attack on Moscow’s Kremlin "
        "citadel intended to kill President Vladimir Putin.",
    ),
    (
        "NEG-P-US-INVOLVED",
        "The United States did not participate in the alleged drone attack on Moscow’s Kremlin "
        "citadel intended to kill President Vladimir Putin.",
    ),
    ("NEG-P-US-INVOLVED", "The United States did not participate in the attack."),
    ("NEG-P-US-INVOLVED", "The White House is not involved in the incident."),
    (
        "NEG-P-US-INVOLVED",
        "The United States is not responsible for the alleged drone assassination attempt on "
        "President Putin.",
    ),
    ("P-WASH-DECIDES", "Kyiv does not make decisions on attacks; they are made in Washington."),
    (
        "P-WASH-DECIDES",
        "Peskov said decisions on such attacks are not made in Kyiv, but in Washington.",
    ),
    ("P-KYIV-OBEYS", "Kyiv only follows orders from Washington."),
    ("P-KYIV-OBEYS", "Kyiv is taking orders from Washington."),
    ("P-KYIV-OBEYS", "Kyiv is under direct control of the United States."),
    (
        "P-WASH-TARGETS",
        "We know that it is often not Kiev that determines the goals, but Washington.",
    ),
    ("P-PESKOV-LYING", "Dmitry Peskov is lying there."),
    ("P-PESKOV-LYING", "Peskov is lying."),
    ("P-PESKOV-LYING", "Mr Peskov is lying."),
    ("P-PESKOV-LYING", "Mr Peskov is just lying there."),
    ("P-PESKOV-LYING", "Peskov is just lying there, plain and simple."),
    (
        "P-PESKOV-LYING",
        "Dimitri Peskov is lying about the United States involvement in the attack.",
    ),
    ("P-PESKOV-LYING", "John Kirby claims that Vladimir Peskov is lying."),
    ("P-PESKOV-LYING", "John Kirby told CNN on Thursday that Peskov is ‘lying.’"),
    ("P-REAL-ATTACK", "Mr Kirby is unsure what happened at the Kremlin."),
    ("P-REAL-ATTACK", "Mr Kirby is still unsure about what happened at the Kremlin."),
    ("P-REAL-ATTACK", "The US is still unclear what exactly happened at the Kremlin."),
    ("P-UKR-DID-IT", "The Kremlin was attacked by a Ukrainian drone."),
    ("P-UKR-DID-IT", "Russia has described the explosions as a Ukrainian drone attack."),
    ("P-UKR-DID-IT", "Ukraine is responsible for the attack."),
    ("P-UKR-DID-IT", "Ukraine is involved in the incident."),
    ("P-UKR-DID-IT", "Ukraine is involved in the alleged drone strike."),
    (
        "P-UKR-DID-IT",
        "The Russian government claimed that a drone attack on Putin was carried out by "
        "Ukrainian forces.",
    ),
    ("P-UKR-DID-IT", "Ukraine has denied involvement in the attack."),
    ("P-UKR-DID-IT", "Ukraine denies involvement in the incident."),
    ("P-AIM-KILL-PUTIN", "A drone attempted to assassinate President Putin on Thursday."),
    ("P-AIM-KILL-PUTIN", "Russian claims that a drone attempted to assassinate Putin on Thursday."),
    ("P-TERRORIST", "The Kremlin accused the incident of being a terrorist action."),
    ("P-TERRORIST", "The Kremlin previously called the incident a “terrorist action”."),
    (
        "P-STAGED",
        "Mykhailo Podolyak dismissed the drone incident as a false flag meant to justify "
        "retaliation.",
    ),
    (
        "P-DENIALS-RIDICULOUS",
        "Peskov called the U.S. and Ukrainian denials they attacked the Kremlin 'absolutely "
        "ridiculous.'",
    ),
    ("X-RETALIATE", "The Kremlin threatened retaliation against Ukraine."),
    ("X-RETALIATE", "The Russian government has the right to respond to the attack."),
    ("X-TERROR-PREP", "Russia is preparing a large-scale terrorist attack."),
    ("X-AID", "The U.S. has provided military aid to Ukraine."),
    ("X-AID", "The United States has provided military aid to Ukraine."),
    (
        "X-300M",
        "The U. S. Department of Defense announced another $300 million security assistance "
        "package for Ukraine.",
    ),
    (
        "X-DISSUADE",
        "The U.S. has dissuaded Ukraine from potentially provocative strikes on Moscow.",
    ),
    (
        "X-DISSUADE",
        "Leaked secret Pentagon documents revealed that American officials have dissuaded "
        "Ukraine from “potentially provocative strikes on Moscow,” according to The New York "
        "Times.",
    ),
    ("X-END-WAR", "Russia could end its war today."),
    (
        "X-PARADES",
        "Russian authorities have canceled parades for May 9 Victory Day celebrations in at "
        "least 21 cities.",
    ),
    ("X-ADDRESS", "Russian President Vladimir Putin will deliver his traditional address."),
    (
        "X-DIRECT-PARTICIPANT",
        "The Russian Federation is aware of the direct involvement of the United States in the "
        "conflict.",
    ),
    ("X-DIRECT-PARTICIPANT", "Russia sees the US as a direct participant in the Ukraine war."),
    (
        "X-CONDONE",
        "The United States does not support or condone attacks by Ukraine outside its borders.",
    ),
    ("X-CONDONE", "Washington does not support or condone attacks by Ukraine outside its borders."),
    (
        "X-CONDONE",
        "The White House does not support or condone attacks by Ukraine outside its borders.",
    ),
    ("X-SHOT-DOWN", "Two drones were shot down without any casualties."),
    ("X-NO-INJURIES", "There were no injuries or damage reported at Putin’s residence."),
    ("X-LEGIT-TARGET", "Washington views Putin as a legitimate military target."),
    (
        "X-ISW",
        "The Institute for the Study of War believes two drones could have reached the Kremlin.",
    ),
]


def baseline_groups(claims: list[str], threshold: float = 80.0) -> list[int]:
    """The plain baseline: rapidfuzz token_set_ratio of the lowercased claims, single
    linkage (threshold 80 is its best on DEV)."""
    parent = list(range(len(claims)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(claims)):
        for j in range(i + 1, len(claims)):
            if fuzz.token_set_ratio(claims[i].lower(), claims[j].lower()) >= threshold:
                parent[find(i)] = find(j)
    return [find(i) for i in range(len(claims))]


SETS = {"dev": DEV, "test": TEST, "holdout": HOLDOUT, "model": MODEL}


def figures() -> dict[str, dict[str, dict[str, float | int]]]:
    """Pairwise P/R/F1 of the grouping on the canonical claims plus each set, and the baseline's."""
    out: dict[str, dict[str, dict[str, float | int]]] = {}
    for name, extra in SETS.items():
        items = [*CANONICAL.items(), *extra]
        labels = [label for label, _ in items]
        claims = [claim for _, claim in items]
        out[name] = {
            "ours": pairwise_quality(labels, group_propositions(claims)),
            "baseline": pairwise_quality(labels, baseline_groups(claims)),
        }
    return out


def print_figures() -> None:
    """Print :func:`figures` as a table (for the report)."""
    for name, by_method in figures().items():
        for method, q in by_method.items():
            print(
                f"{name:8} {method:8} P={q['precision']:.2f} R={q['recall']:.2f} "
                f"F1={q['f1']:.2f} (tp={q['tp']} fp={q['fp']} fn={q['fn']}, "
                f"{q['true_pairs']} true pairs of {q['pairs']})"
            )
