"""Words for fixed vocabularies (stages, kinds, bands, statuses) in English and
Spanish, as CRMs and survey tools write them. Each maps a folded spelling
(`values.fold`) to the stored value."""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

from babel import Locale
from django.utils import translation
from django.utils.translation import gettext as _

from rumbo.imports.values import Bad, blank, fold, text
from rumbo.sales import choices
from rumbo.tenancy.models import Role

# (stage, outcome) for the stage words of Salesforce, HubSpot, Pipedrive and plain speech.
_WON = ("won, closed won, closedwon, win, ganado, ganada, ganados, cerrado ganado, "
        "cerrada ganada, ganado cerrado, vendido, venta cerrada")  # fmt: skip
_LOST = ("lost, closed lost, closedlost, lose, perdido, perdida, cerrado perdido, "
         "cerrada perdida, perdido cerrado, descartado")  # fmt: skip
# A closed stage says nothing of the outcome: an outcome column must (exports have one).
_CLOSED = "closed, cerrado, cerrada"
_PROSPECTING = ("open, abierto, abierta, prospecting, prospect, prospeccion, prospecto, lead, "
                "new, nuevo, nueva, contacto inicial, appointmentscheduled, "
                "appointment scheduled")  # fmt: skip
_QUALIFICATION = ("qualification, qualify, qualified, qualifiedtobuy, qualified to buy, "
                  "calificacion, cualificacion, calificado, cualificado, needs analysis, "
                  "discovery, analisis de necesidades, id decision makers, perception analysis, "
                  "contact made, demo scheduled, contacto realizado, demo agendada")  # fmt: skip
_PROPOSAL = ("proposal, propuesta, quote, cotizacion, presupuesto, proposal price quote, "
             "value proposition, presentationscheduled, presentation scheduled, "
             "propuesta enviada, proposal made")  # fmt: skip
_NEGOTIATION = ("negotiation, negociacion, negotiation review, contractsent, contract sent, "
                "decisionmakerboughtin, decision maker bought in, contrato enviado, "
                "negotiations started, negociacion iniciada")  # fmt: skip
_STAGE_WORDS = {
    ("closed", "won"): _WON, ("closed", "lost"): _LOST, ("closed", ""): _CLOSED,
    ("prospecting", "open"): _PROSPECTING, ("qualification", "open"): _QUALIFICATION,
    ("proposal", "open"): _PROPOSAL, ("negotiation", "open"): _NEGOTIATION,
}  # fmt: skip
STAGE_WORDS: dict[str, tuple[str, str]] = {
    word.strip(): key for key, words in _STAGE_WORDS.items() for word in words.split(",")
}
OUTCOME_WORDS: dict[str, str] = {word: outcome for word, (_s, outcome) in STAGE_WORDS.items()}

# Extra spellings of fixed vocabularies beyond their English and Spanish labels.
EXTRA: dict[type[Any], dict[str, str]] = {
    choices.CustomerKind: {"b2b": "business", "company": "business", "empresa": "business",
                           "b2c": "consumer", "person": "consumer", "persona": "consumer",
                           "individual": "consumer", "particular": "consumer"},
    choices.Gender: {"f": "female", "m": "male", "woman": "female", "man": "male",
                     "mujer": "female", "hombre": "male", "femenino": "female",
                     "masculino": "male"},
    choices.SurveyKind: {"csat": "csat", "nps": "nps", "satisfaction": "csat",
                         "satisfaccion": "csat", "net promoter score": "nps"},
    choices.ComplaintStatus: {"new": "open", "nueva": "open", "abierta": "open",
                              "pending": "in_progress", "pendiente": "in_progress",
                              "closed": "resolved", "cerrada": "resolved",
                              "solved": "resolved", "resuelta": "resolved"},
    Role: {"seller": "rep", "sales rep": "rep", "salesperson": "rep", "vendedor": "rep",
           "vendedora": "rep", "comercial": "rep", "representante": "rep", "gerente": "manager",
           "jefe": "manager", "jefa": "manager", "supervisor": "manager", "director": "manager",
           "administrador": "admin", "administrator": "admin"},
    choices.ActivityKind: {"phone": "call", "phone call": "call", "llamada": "call",
                           "reunion": "meeting", "visita": "visit", "correo": "email",
                           "e mail": "email", "check in": "checkin", "seguimiento": "checkin"},
}  # fmt: skip


@cache
def choice_words(choice_class: Any) -> dict[str, str]:
    """Folded spellings -> value: the value, the English and Spanish labels, extras."""
    words: dict[str, str] = {}
    for value, label in choice_class.choices:
        words[fold(value)] = value
        for language in ("en", "es"):
            with translation.override(language):
                words[fold(str(label))] = value
    words.update(EXTRA.get(choice_class, {}))
    return words


def suggest(word: str, options: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    return difflib.get_close_matches(word, options, n=n, cutoff=cutoff)


def parse_choice(raw: Any, choice_class: Any, aliases: dict[str, str]) -> str | None:
    if blank(raw):
        return None
    value = text(raw)
    key = fold(value)
    words = choice_words(choice_class)
    found = words.get(key) or aliases.get(key)
    if found is None:
        labels = [str(label) for _v, label in choice_class.choices]
        raise Bad(
            _("%(value)s is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(labels)},
            suggest(value, labels),
        )
    return found


def parse_stage(raw: Any, aliases: dict[str, str]) -> tuple[str, str] | None:
    """A stage word -> (stage, outcome). An alias value is 'stage:outcome' or a word."""
    if blank(raw):
        return None
    value = text(raw)
    key = fold(value)
    if key in STAGE_WORDS:
        return STAGE_WORDS[key]
    alias = aliases.get(key)
    if alias:
        if ":" in alias:
            stage, outcome = alias.split(":", 1)
            return stage, outcome
        if fold(alias) in STAGE_WORDS:
            return STAGE_WORDS[fold(alias)]
    raise Bad(
        _("%(value)s is not a stage Rumbo knows; save an alias saying whether it is open, "
          "won or lost.") % {"value": value},
        suggest(key, list(STAGE_WORDS)),
    )  # fmt: skip


@cache
def country_words() -> dict[str, str]:
    """Country names in English and Spanish, and ISO codes, -> ISO code."""
    words: dict[str, str] = {}
    for language in ("en", "es"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                words[fold(name)] = code
                words[code.lower()] = code
    words.update(COUNTRY_ALIASES)
    return words


# Short and local names exports use that CLDR's English and Spanish names lack.
COUNTRY_ALIASES = {
    "usa": "US", "u s a": "US", "us": "US", "u s": "US", "america": "US",
    "united states of america": "US", "eeuu": "US", "ee uu": "US",
    "estados unidos de america": "US",
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "gran bretana": "GB",
    "inglaterra": "GB", "holland": "NL", "the netherlands": "NL", "holanda": "NL",
    "deutschland": "DE", "espana": "ES", "france": "FR", "italia": "IT", "brasil": "BR",
    "osterreich": "AT", "schweiz": "CH", "suisse": "CH", "sverige": "SE", "norge": "NO",
    "danmark": "DK", "suomi": "FI", "polska": "PL", "nederland": "NL", "belgie": "BE",
    "belgique": "BE", "korea": "KR", "republic of korea": "KR", "corea": "KR",
    "russian federation": "RU", "uae": "AE", "emirates": "AE", "czech republic": "CZ",
    "republica checa": "CZ", "prc": "CN", "mainland china": "CN", "hong kong sar": "HK",
    "viet nam": "VN", "turkiye": "TR", "ivory coast": "CI",
}  # fmt: skip


def country_names() -> dict[str, str]:
    """Folded spelling -> the country's name in the current language, for suggestions."""
    return _country_names("es" if (translation.get_language() or "en")[:2] == "es" else "en")


@cache
def _country_names(language: str) -> dict[str, str]:
    names = Locale(language).territories
    return {word: str(names.get(code, code)) for word, code in country_words().items()}


def parse_country(raw: Any) -> str | None:
    if blank(raw):
        return None
    value = text(raw)
    code = country_words().get(fold(value))
    if code is None:
        names = country_names()
        # Close spellings ("Untied States", "Holand"), named as the country, not the spelling.
        close = list(dict.fromkeys(names[w] for w in suggest(fold(value), list(names), n=6)))[:3]
        if close:
            reason = _("%(value)s is not a country Rumbo knows. Did you mean %(names)s?") % {
                "value": value, "names": _(" or ").join(f"“{n}”" for n in close)}  # fmt: skip
        else:
            reason = _("%(value)s is not a country (use its name or ISO code).") % {
                "value": value}  # fmt: skip
        raise Bad(reason, close)
    return code


@cache
def month_words() -> dict[str, int]:
    """Month names and abbreviations in English and Spanish (from the CLDR data
    babel ships, plus spellings exports use that CLDR lacks) -> month number.
    An explicit table, not a guessing parser: a word that is not a month is
    refused, never read as something close."""
    words: dict[str, int] = {}
    for language in ("en", "es"):
        months = Locale(language).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months[context][width].items():
                    words[fold(name)] = number
    words.update({"sep": 9, "sept": 9, "set": 9, "setiembre": 9})
    return words
