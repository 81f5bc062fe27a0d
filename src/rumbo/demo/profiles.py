"""Who the demo's sellers are: each rep has a skill (base win rate), a care for
customers (what surveys, complaints and repeat business follow from), a volume,
a discount habit, favourite techniques and techniques that suit them or not.
A few reps are designed characters so the demo tells recognisable stories."""

from __future__ import annotations

import random
from dataclasses import dataclass

from rumbo.demo.vocab import FIRST_EN, FIRST_ES, LAST_EN, LAST_ES, TECHNIQUES

TECHNIQUE_INDEX = {spec.name: i for i, spec in enumerate(TECHNIQUES)}


@dataclass(frozen=True)
class RepProfile:
    """How one seller behaves. `effects` and `favourites` run over TECHNIQUES."""

    name: str
    skill: float  # base probability of winning a deal
    care: float  # 0..1: follow-up, honesty, attention after the sale
    volume: float  # relative number of deals
    discount: float  # habitual discount off list price
    favourites: tuple[float, ...]  # how often each technique is used
    effects: tuple[float, ...]  # this rep's own win-probability change per technique
    story: str = ""


@dataclass(frozen=True)
class Character:
    """A designed rep: fixed traits, so the demo's best and worst are known."""

    key: str
    name: str
    skill: float
    care: float
    volume: float
    discount: float
    likes: tuple[str, ...]
    suits: str  # technique that works better for them
    hurts: str  # technique that holds them back
    story: str


CHARACTERS = [
    Character("star", "Lucía Romero", 0.52, 0.95, 1.2, 0.03,
              ("Consultative selling", "Value-based selling"), "Value-based selling",
              "Transactional selling", "Best seller by design: wins often and customers love her."),
    Character("closer", "Diego Navarro", 0.5, 0.15, 1.45, 0.14,
              ("Challenger sale", "Transactional selling"), "Challenger sale",
              "Relationship selling",
              "Closes a lot, discounts hard, burns customers: low CSAT, many complaints."),
    Character("caring", "Carmen Ortega", 0.22, 0.9, 0.9, 0.05,
              ("Relationship selling", "Consultative selling"), "Relationship selling",
              "Challenger sale", "Customers adore her, but she struggles to close."),
    Character("misfit", "James Whitaker", 0.33, 0.55, 1.0, 0.08,
              ("Challenger sale", "SPIN selling"), "SPIN selling", "Challenger sale",
              "Favours the Challenger sale, which costs him deals; SPIN works for him."),
    Character("struggling", "Tomás Gil", 0.16, 0.08, 0.85, 0.12,
              ("Transactional selling",), "Social selling", "Consultative selling",
              "Worst by design: rarely wins, careless with customers, complaints pile up."),
]  # fmt: skip


def person_name(rng: random.Random, english: bool = False) -> str:
    if english:
        return f"{rng.choice(FIRST_EN)} {rng.choice(LAST_EN)}"
    return f"{rng.choice(FIRST_ES)} {rng.choice(LAST_ES)} {rng.choice(LAST_ES)}"


def character_profile(c: Character, rng: random.Random) -> RepProfile:
    count = len(TECHNIQUES)
    favourites = [0.15] * count
    for name in c.likes:
        favourites[TECHNIQUE_INDEX[name]] = 3.0
    effects = [round(rng.gauss(0, 0.02), 3) for _ in range(count)]
    effects[TECHNIQUE_INDEX[c.suits]] = 0.1
    effects[TECHNIQUE_INDEX[c.hurts]] = -0.14
    return RepProfile(
        name=c.name, skill=c.skill, care=c.care, volume=c.volume, discount=c.discount,
        favourites=tuple(favourites), effects=tuple(effects), story=c.story,
    )  # fmt: skip


def random_profile(rng: random.Random, name: str) -> RepProfile:
    """An ordinary rep: traits drawn around the middle, skill and care loosely
    related (good sellers tend to look after customers, with exceptions)."""
    count = len(TECHNIQUES)
    skill = min(0.45, max(0.18, rng.gauss(0.31, 0.06)))
    care = min(0.95, max(0.1, rng.gauss(0.5 + (skill - 0.31), 0.2)))
    favourites = [rng.uniform(0.1, 0.6) for _ in range(count)]
    for i in rng.sample(range(count), 2):
        favourites[i] = rng.uniform(1.5, 3.0)
    effects = [round(rng.gauss(0, 0.03), 3) for _ in range(count)]
    good, bad = rng.sample(range(count), 2)
    effects[good] = round(rng.uniform(0.05, 0.1), 3)
    effects[bad] = round(rng.uniform(-0.12, -0.05), 3)
    return RepProfile(
        name=name, skill=round(skill, 3), care=round(care, 3),
        volume=round(rng.uniform(0.65, 1.35), 3), discount=round(rng.uniform(0.02, 0.12), 3),
        favourites=tuple(favourites), effects=tuple(effects),
    )  # fmt: skip


def spread(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integer parts proportional to `weights`, summing exactly."""
    whole = sum(weights)
    parts: list[int] = []
    running = 0.0
    given = 0
    for weight in weights:
        running += weight
        upto = round(total * running / whole)
        parts.append(upto - given)
        given = upto
    return parts
