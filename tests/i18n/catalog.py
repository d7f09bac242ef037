"""The Spanish catalog, read with polib, and the English sentences it translates."""

import html
import re
from functools import cache
from pathlib import Path

import polib
from django.conf import settings

PO_PATH = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
_TAG = re.compile(r"<[^>]+>")


def placeholders(text):
    """The named and positional placeholders of a message, as a set."""
    return set(_PLACEHOLDER.findall(text))


def spanish_catalog():
    return polib.pofile(str(PO_PATH))


def _fragments(msgid):
    """The literal runs of an English msgid, without markup or placeholders."""
    text = _TAG.sub("\x00", msgid)
    text = _PLACEHOLDER.sub("\x00", text)
    return [" ".join(part.split()) for part in text.split("\x00")]


@cache
def english_sentences(min_words=2):
    """English text the catalog translates differently: each msgid, or for msgids with
    placeholders or markup each literal run of at least three words. Ambiguous runs that
    are only punctuation and short words are left out."""
    sentences = set()
    for entry in spanish_catalog():
        if entry.obsolete or not entry.msgstr and not entry.msgstr_plural:
            continue
        forms = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        spanish = [entry.msgstr] + list(entry.msgstr_plural.values())
        for english in forms:
            if english in spanish:
                continue  # the same in both languages ("Panel", "Total")
            fragments = _fragments(english)
            whole = len(fragments) == 1
            for fragment in fragments:
                words = re.findall(r"[A-Za-z’']+", fragment)
                if len(words) >= (min_words if whole else 3):
                    sentences.add(fragment)
    return sentences


def visible_text(page):
    """The words a person reads: tags, scripts and styles removed, entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    return " ".join(html.unescape(_TAG.sub(" ", page)).split())


def english_left(page, *, ignore=()):
    """The catalog's English sentences that appear in the page's visible text."""
    text = visible_text(page)
    for value in ignore:
        text = text.replace(value, " ")
    found = []
    for sentence in english_sentences():
        if sentence not in text:  # a plain search first: most sentences are absent
            continue
        pattern = r"(?<![A-Za-z])" + re.escape(sentence) + r"(?![A-Za-z])"
        if re.search(pattern, text):
            found.append(sentence)
    return sorted(found)
