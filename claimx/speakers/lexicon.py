"""The word lists of the speaker rules: honorifics, titles, role nouns, bodies, places.

Data only; the rules that use them are :mod:`claimx.speakers.identity` (is a
name a person's, and whose) and :mod:`claimx.speakers.mentions` (which part of
a speaker string is the name, which the descriptor).
"""

from __future__ import annotations

# Words a name is compared without: "Mr. John F. Kirby" is "John Kirby".
HONORIFICS = frozenset(
    {
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "lt", "col", "gen",
        "sgt", "capt", "maj", "adm", "rep", "sen", "gov", "president", "secretary",
        "minister", "the",
    }
)  # fmt: skip
# Nouns that make a phrase a descriptor of a person ("Kremlin spokesman").
ROLE_NOUNS = frozenset(
    {
        "spokesman", "spokeswoman", "spokesperson", "secretary", "adviser", "advisor",
        "ambassador", "minister", "president", "chief", "head", "director", "coordinator",
        "official", "envoy", "aide", "flack", "governor", "commander", "general", "leader",
        "chancellor", "premier", "senator", "representative", "analyst", "expert", "mayor",
        "spokesmen", "correspondent", "editor", "chairman", "chairwoman", "chair", "deputy",
        "officer", "diplomat", "lawmaker", "negotiator",
    }
)  # fmt: skip
# Capitalised words that open a name run but are titles, not names.
TITLE_WORDS = frozenset(
    HONORIFICS
    | {
        "state", "defense", "defence", "foreign", "prime", "vice", "deputy", "general",
        "chief", "ambassador", "spokesman", "spokeswoman", "spokesperson", "judge",
        "lord", "lady", "king", "queen", "prince", "princess", "pope", "father", "rev",
        "former", "acting", "interim", "senator", "congressman", "congresswoman", "mayor",
        "chancellor", "premier", "commander", "private", "corporal", "sergeant", "major",
        "colonel", "lieutenant", "captain", "admiral", "marshal", "st", "ret",
    }
)  # fmt: skip
# Words that make a capitalised name a body rather than a person.
ORG_WORDS = frozenset(
    {
        "house", "council", "force", "forces", "institute", "ministry", "department",
        "office", "agency", "times", "news", "post", "government", "administration",
        "army", "navy", "command", "court", "nations", "union", "committee", "service",
        "party", "bank", "university", "center", "centre", "foundation", "media", "group",
        "federation", "republic", "kingdom", "states", "organization", "organisation",
        "association", "commission", "parliament", "congress", "senate", "assembly",
        "pentagon", "kremlin", "police", "guard", "staff", "journal", "press", "network",
        "company", "corporation", "inc", "ltd", "reuters", "associated", "security",
    }
)  # fmt: skip
# Words of a news outlet's name: an outlet relays what its sources said ("Zelensky said ...,
# the Associated Press reported"), and the annotation standard's speaker is the original source.
MEDIA_WORDS = frozenset(
    {
        "times", "news", "post", "press", "reuters", "tass", "journal", "agency", "cnn",
        "bbc", "ap", "afp", "interfax", "ria", "novosti", "politico", "axios", "tribune",
        "herald", "guardian", "telegraph", "gazette", "television", "tv", "radio",
        "broadcasting", "newspaper", "magazine", "bloomberg", "nbc", "abc", "cbs", "fox",
        "msnbc", "npr", "pbs",
    }
)  # fmt: skip
# Places and states that stand for a government as a source; never a surname.
PLACES = frozenset(
    {
        "russia", "ukraine", "kremlin", "washington", "moscow", "kyiv", "kiev", "china",
        "beijing", "london", "paris", "berlin", "nato", "america", "europe", "britain",
        "france", "germany", "iran", "israel", "turkey", "poland", "belarus", "crimea",
    }
)  # fmt: skip
# A state's possessive is its adjective in a body's name: "Ukraine's air force" is the
# "Ukrainian Air Force".
DEMONYMS = {
    "russia": "russian", "ukraine": "ukrainian", "america": "american", "britain": "british",
    "china": "chinese", "france": "french", "germany": "german", "iran": "iranian",
    "israel": "israeli", "turkey": "turkish", "poland": "polish", "belarus": "belarusian",
    "europe": "european",
}  # fmt: skip
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
# Words a capitalised run in running text may start with that are not names.
RUN_STOP_WORDS = WEEKDAYS | frozenset(
    {
        "in", "on", "at", "a", "an", "but", "and", "as", "of", "for", "if", "when", "while",
        "after", "before", "since", "with", "from", "by", "to", "this", "that", "it", "he",
        "she", "we", "they", "his", "her", "our", "their", "its", "asked", "said", "says",
        "according", "per", "citing", "hours", "days", "january", "february", "march",
        "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "some", "other", "russian", "ukrainian", "american", "british", "us",
        "u.s.", "western", "european", "french", "german", "chinese", "national", "white",
    }
)  # fmt: skip
UNKNOWN_MENTIONS = frozenset(
    {
        "", "he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "unknown",
        "none", "null", "n/a", "na", "speaker", "source", "the source", "someone",
        "unnamed", "anonymous",
    }
)  # fmt: skip
PARTICLES = frozenset({"de", "van", "von", "der", "den", "al", "bin", "da", "di", "la", "le"})
ARTICLES = frozenset({"the", "a", "an"})
COURTESY = frozenset({"the", "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam"})
FUNCTION_WORDS = frozenset(
    {"of", "the", "for", "to", "at", "in", "from", "on", "with", "and", "a", "an", "by"}
)
