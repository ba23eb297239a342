"""Synthetic, clearly fictitious cases for tests and benchmarks.

``write_synthetic_cases`` writes valid case files that look like real ones in shape and
length (front matter spread over Kreise, topics, statuses and years; bodies of a few
hundred words of varied German text) so build and search benchmarks measure something
meaningful. Every file says it is fictitious: ``fictitious: true``, titles starting with
"Fiktiver Fall", sources and addresses on ``example.org``. Output is deterministic for
a seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path

from praxisatlas.cases.model import (
    COST_BANDS,
    DURATION_BANDS,
    EVIDENCE,
    LICENSES,
    OPEN_TO,
    STAFF_BANDS,
    STATUSES,
)
from praxisatlas.cases.reference import Kreis, load_reference
from praxisatlas.cases.vocabulary import load_vocabulary

_GROUPS = (
    "Bürgerinnen und Bürger",
    "Unternehmen",
    "Schulen",
    "Pflegedienste",
    "Vereine",
    "Ehrenamtliche",
    "Beschäftigte der Kreisverwaltung",
    "Gemeinden",
    "Familien",
    "Landwirtschaftsbetriebe",
    "Handwerksbetriebe",
    "Seniorinnen und Senioren",
    "Jugendliche",
    "Rettungsdienste",
    "Bauherrinnen und Bauherren",
    "Touristinnen und Touristen",
)
_THINGS = (
    "Anträge",
    "Bescheide",
    "Rechnungen",
    "Akten",
    "Genehmigungen",
    "Meldungen",
    "Terminanfragen",
    "Förderanträge",
    "Stellungnahmen",
    "Messwerte",
    "Einsatzberichte",
    "Belegungspläne",
    "Gutachten",
    "Verträge",
    "Rückfragen",
    "Statistiken",
)
_TOOLS = (
    "ein Dokumentenmanagementsystem",
    "ein Onlineportal",
    "eine offene Datenplattform",
    "ein Fachverfahren mit Schnittstelle",
    "eine mobile App",
    "ein Sensornetz auf LoRaWAN-Basis",
    "ein Ticketsystem",
    "eine Videosprechstunde",
    "ein digitales Zwillingsmodell",
    "ein Chatbot-Angebot auf der Kreis-Webseite",
    "eine Lernplattform",
    "ein Geoinformationssystem",
    "eine elektronische Aktenführung",
    "ein Terminbuchungssystem",
    "ein Formularmanagementsystem",
)
_PROBLEMS = (
    "lange Bearbeitungszeiten",
    "Medienbrüche zwischen Papier und Fachverfahren",
    "fehlende Transparenz über den Bearbeitungsstand",
    "viele telefonische Rückfragen",
    "doppelte Dateneingabe",
    "knappe Personalressourcen",
    "weite Wege für die Antragstellenden",
    "unübersichtliche Zuständigkeiten",
    "veraltete Software ohne Herstellerunterstützung",
    "hohe Druck- und Portokosten",
    "schwer auffindbare Informationen",
)
_EFFECTS = (
    "die Durchlaufzeit deutlich gesunken",
    "weniger Rückfragen eingegangen",
    "der Papierverbrauch spürbar zurückgegangen",
    "die Zufriedenheit der Nutzenden gestiegen",
    "die Zusammenarbeit zwischen den Ämtern einfacher geworden",
    "der Bearbeitungsstand jederzeit nachvollziehbar",
    "Wegezeiten entfallen",
    "die Datenqualität besser geworden",
    "Vertretungen im Urlaub leichter zu organisieren",
)
_LESSONS = (
    "Die Beschäftigten früh einzubinden war wichtiger als jede technische Entscheidung.",
    "Eine saubere Prozessanalyse vor der Ausschreibung hat viel Zeit gespart.",
    "Die Schnittstellen zu bestehenden Fachverfahren waren aufwendiger als geplant.",
    "Ohne eine feste Ansprechperson in jedem Fachamt wäre die Einführung ins Stocken geraten.",
    "Der Datenschutz war von Anfang an beteiligt; das hat spätere Schleifen vermieden.",
    "Eine Pilotphase mit wenigen Teams hat Fehler sichtbar gemacht, bevor alle betroffen waren.",
    "Schulungen in kleinen Gruppen wurden besser angenommen als große Informationsveranstaltungen.",
    "Die Nachnutzung einer vorhandenen Lösung war schneller als eine Eigenentwicklung.",
    "Nicht alles ließ sich digitalisieren; einige Schritte bleiben bewusst analog.",
    "Die Finanzierung des Dauerbetriebs hätte früher geklärt werden müssen.",
    "Offene Standards haben den späteren Wechsel eines Dienstleisters erleichtert.",
    "Rückmeldungen der Nutzenden wurden monatlich ausgewertet und flossen in Verbesserungen ein.",
)
_PARTNERS = (
    ("Kommunaler IT-Dienstleister (fiktiv)", "IT-Dienstleister"),
    ("Zweckverband Digitale Region (fiktiv)", "Zweckverband"),
    ("Hochschule für angewandte Wissenschaften (fiktiv)", "Hochschule"),
    ("Landesministerium (fiktiv)", "Land"),
)
_FUNCTIONS = (
    "Stabsstelle Digitalisierung",
    "Amt für Informationstechnik",
    "Fachbereich Bürgerservice",
    "Digitallotsin der Kreisverwaltung",
    "Projektbüro Smarte Region",
    "Hauptamt, Organisation",
)


def _in(kreis: Kreis) -> str:
    """ "im Landkreis Harz" but "in Bochum"."""
    return (
        f"im {kreis.label}"
        if kreis.label != kreis.name or "kreis" in kreis.name.lower()
        else f"in {kreis.label}"
    )


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


_Sentence = Callable[[random.Random, str, str, str], str]
# Each template draws only the random values it uses (generation speed matters at 10,000).
_SENTENCES: tuple[_Sentence, ...] = (
    lambda r, k, t, d: f"{k[0].upper()}{k[1:]} betraf das Thema {t} vor allem {r.choice(_GROUPS)}.",
    lambda r, k, t, d: (
        f"{r.choice(_THINGS)} wurden bisher überwiegend auf Papier bearbeitet, "
        f"was zu {r.choice(_PROBLEMS)} führte."
    ),
    lambda r, k, t, d: f"Für {r.choice(_GROUPS)} bedeutete das {r.choice(_PROBLEMS)}.",
    lambda r, k, t, d: (
        f"Ziel war es, {r.choice(_THINGS)} künftig über {r.choice(_TOOLS)} abzuwickeln."
    ),
    lambda r, k, t, d: (
        f"Eingeführt wurde {r.choice(_TOOLS)}; die Lösung ist an die vorhandenen "
        "Fachverfahren angebunden."
    ),
    lambda r, k, t, d: (
        f"Rund {r.randint(3, 95)} Prozent der {r.choice(_THINGS)} gehen inzwischen digital ein."
    ),
    lambda r, k, t, d: f"Nach Angaben des Projektteams ist {r.choice(_EFFECTS)}.",
    lambda r, k, t, d: f"Zum Hintergrund: {d}",
    lambda r, k, t, d: (
        f"An der Umsetzung waren {r.randint(2, 12)} Beschäftigte aus "
        f"{r.randint(1, 5)} Fachämtern beteiligt."
    ),
    lambda r, k, t, d: f"Die Einführung erfolgte schrittweise über {r.randint(2, 18)} Monate.",
    lambda r, k, t, d: (
        f"Besonders {r.choice(_GROUPS)} profitieren davon, dass "
        f"{r.choice(_THINGS)} nun rund um die Uhr eingereicht werden können."
    ),
    lambda r, k, t, d: f"Seit der Umstellung ist {r.choice(_EFFECTS)}, und {r.choice(_EFFECTS)}.",
    lambda r, k, t, d: r.choice(_LESSONS),
)


def _sentence(rng: random.Random, kreis: str, topic: str, description: str) -> str:
    return rng.choice(_SENTENCES)(rng, kreis, topic, description)


def _paragraph(rng: random.Random, kreis: str, topic: str, description: str) -> str:
    sentences: list[str] = []
    while len(sentences) < rng.randint(3, 6):
        sentence = _sentence(rng, kreis, topic, description)
        if sentence not in sentences:
            sentences.append(sentence)
    return " ".join(sentences)


def synthetic_case_text(
    index: int,
    rng: random.Random,
    kreise: list[Kreis],
    topics: list[tuple[str, str, str]],
    ozg: list[str],
    ids: list[str],
) -> str:
    """The text of one synthetic case file (front matter and body)."""
    kreis = kreise[rng.randrange(len(kreise))]
    chosen = rng.sample(topics, rng.randint(1, 3))
    label = chosen[0][1]
    status = rng.choice(list(STATUSES))
    start_year = rng.randint(2012, 2025)
    start = f"{start_year}-{rng.randint(1, 12):02d}" if rng.random() < 0.6 else str(start_year)
    title = f"Fiktiver Fall {index}: {label} {_in(kreis)}"
    if len(title) > 90:
        title = f"Fiktiver Fall {index}: {label}"[:90].rstrip()
    summary = (
        f"Fiktiver Fall für Tests: Der {kreis.label} nutzt {rng.choice(_TOOLS)} im Bereich "
        f"{label}, damit {rng.choice(_GROUPS)} weniger Aufwand haben."
    )[:300]
    lines = [
        "---",
        f"title: {_q(title)}",
        f"summary: {_q(summary)}",
        "organisations:",
        f'  - role: lead\n    ags: "{kreis.ags}"',
    ]
    if rng.random() < 0.3:
        name, kind = rng.choice(_PARTNERS)
        lines.append(f"  - role: partner\n    name: {_q(name)}\n    kind: {_q(kind)}")
    if rng.random() < 0.2:
        other = kreise[rng.randrange(len(kreise))]
        lines.append(f'  - role: adopter\n    ags: "{other.ags}"')
    lines.append("topics:")
    lines.extend(f"  - {t[0]}" for t in chosen)
    lines.append(f"status: {status}")
    lines.append(f'start: "{start}"')
    if status == "eingestellt" or (status == "regelbetrieb" and rng.random() < 0.3):
        lines.append(f'end: "{min(start_year + rng.randint(0, 3), 2026)}"')
    open_to = [k for k in OPEN_TO if rng.random() < 0.4]
    lines.append("contact:")
    lines.append(f"  function: {_q(rng.choice(_FUNCTIONS))}")
    lines.append(f"  email: fall-{index}@example.org")
    if open_to:
        lines.append(f"  open_to: [{', '.join(open_to)}]")
    lines.append("sources:")
    lines.append(f"  - title: {_q(f'Fiktive Quelle zu Fall {index}')}")
    lines.append(f"    url: https://example.org/fiktiv/{index}")
    reviewed = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1400))
    lines.append(f"reviewed: {reviewed.isoformat()}")
    lines.append(f"license: {rng.choice(list(LICENSES))}")
    if rng.random() < 0.3:
        lines.append("effort:")
        lines.append(f"  cost: {rng.choice(list(COST_BANDS))}")
        lines.append(f"  staff: {rng.choice(list(STAFF_BANDS))}")
        lines.append(f"  duration: {rng.choice(list(DURATION_BANDS))}")
    if rng.random() < 0.3:
        lines.append("outcomes:")
        lines.append(f"  - text: {_q(f'Nach Angaben des Kreises ist {rng.choice(_EFFECTS)}.')}")
        lines.append(f"    evidence: {rng.choice(list(EVIDENCE))}")
    if rng.random() < 0.25:
        lines.append('software:\n  open_source: true\n  name: "Fiktive Fachanwendung"')
        lines.append(f"  license: EUPL-1.2\n  repository: https://example.org/code/{index}")
    if rng.random() < 0.2:
        lines.append(f"ozg_themenfeld: [{rng.choice(ozg)}]")
    if ids and rng.random() < 0.15:
        lines.append(f"related: [{ids[rng.randrange(len(ids))]}]")
    lines.append("fictitious: true")
    lines.append("---")
    body: list[str] = []
    for section in ("Ausgangslage", "Lösung", "Ergebnisse", "Erfahrungen"):
        body.append(f"\n## {section}\n")
        for _ in range(rng.randint(2, 3)):
            t = rng.choice(chosen)
            body.append(_paragraph(rng, _in(kreis), t[1], t[2]) + "\n")
    return "\n".join(lines) + "\n" + "\n".join(body)


def write_synthetic_cases(directory: Path, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` valid fictitious cases into ``directory``; deterministic for ``seed``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    reference = load_reference()
    vocabulary = load_vocabulary()
    kreise = reference.current_kreise
    topics = [
        (t.slug, t.label, t.description) for t in vocabulary.topics.values() if not t.deprecated
    ]
    ozg = list(vocabulary.ozg_themenfelder)
    width = max(5, len(str(n)))
    paths: list[Path] = []
    ids: list[str] = []
    for index in range(1, n + 1):
        case_id = f"fiktiver-fall-{index:0{width}d}"
        path = directory / f"{case_id}.md"
        path.write_text(synthetic_case_text(index, rng, kreise, topics, ozg, ids), encoding="utf-8")
        ids.append(case_id)
        paths.append(path)
    return paths
