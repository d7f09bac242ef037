"""The directory's consultant cards, rendered once and kept in the cache.

A page of the directory shows a hundred cards; rendering them is most of the page's cost.
A card's HTML depends only on the profile (its `updated_at` moves with every save), its load
this month, the language, the engagement being invited to and the card template itself: all
of them are in the key, so a cached card is never stale, and a change shows at once.

Each process also keeps the cards it used last in its own memory, in front of the shared
cache: the same keys, so the same guarantee, and a page read from it costs no round trip
(reading a hundred cards from Redis and unpickling them costs about 2 ms).
"""

import hashlib
import threading
import time
from collections import OrderedDict

from django.core.cache import cache
from django.template import loader
from django.utils import translation

CARD_TEMPLATE = "survivors/_consultant_card.html"
CARD_SECONDS = 60 * 60
# Cards kept in each process (about 1 kB each): a few pages in every language.
LOCAL_CARDS = 4000

_local = OrderedDict()  # key -> (expires at, card HTML), least recently used first
_local_lock = threading.Lock()


def _local_get(keys, now):
    found = {}
    with _local_lock:
        for key in keys:
            entry = _local.get(key)
            if entry is not None and entry[0] > now:
                _local.move_to_end(key)
                found[key] = entry[1]
    return found


def _local_set(cards, expires):
    with _local_lock:
        for key, html in cards.items():
            _local[key] = (expires, html)
            _local.move_to_end(key)
        while len(_local) > LOCAL_CARDS:
            _local.popitem(last=False)


def _version(template):
    source = getattr(getattr(template, "template", None), "source", "")
    return hashlib.sha256(source.encode()).hexdigest()[:12]


def _refusal_hash(refusal):
    return hashlib.sha256((refusal or "").encode()).hexdigest()[:12]


_NO_REFUSAL = _refusal_hash(None)


def _key(version, language, profile, engagement, refusal):
    return ":".join(
        [
            "directory-card",
            version,
            language,
            str(profile.pk),
            profile.updated_at.isoformat() if profile.updated_at else "",
            str(getattr(profile, "load", "")),
            str(engagement.pk) if engagement else "",
            # The reason she cannot be asked moves with the engagement and her other requests.
            _refusal_hash(refusal) if refusal else _NO_REFUSAL,
        ]
    )


def directory_cards(profiles, *, engagement=None, refusals=None):
    """[(profile, card HTML)] for the page's profiles, in order: one cache read for all.

    `refusals` ({profile pk: reason or None}, from services.refusals_for) says on each card
    why she cannot be asked for the engagement.
    """
    refusals = refusals or {}
    template = loader.get_template(CARD_TEMPLATE)
    version = _version(template)
    language = translation.get_language() or ""
    keys = [_key(version, language, p, engagement, refusals.get(p.pk)) for p in profiles]
    now = time.monotonic()
    cached = _local_get(keys, now)
    if len(cached) < len(keys):
        shared = cache.get_many([key for key in keys if key not in cached])
        _local_set(shared, now + CARD_SECONDS)
        cached.update(shared)
    missing = {}
    cards = []
    for profile, key in zip(profiles, keys, strict=True):
        html = cached.get(key)
        if html is None:
            html = template.render(
                {"profile": profile, "engagement": engagement, "refusal": refusals.get(profile.pk)}
            )
            missing[key] = html
        # Rendered by our template with autoescaping: a SafeString, and still one once read
        # back from the cache (it is pickled with its type).
        cards.append((profile, html))
    if missing:
        cache.set_many(missing, CARD_SECONDS)
        _local_set(missing, now + CARD_SECONDS)
    return cards
