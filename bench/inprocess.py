"""The two pairs measured inside one process: the reminder sweep and the catalog search.

Each side runs in a transaction that is rolled back, so every run starts from the same rows.
"""

import statistics
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from survivors.models import Compensation, Engagement, ParticipationRequest
from toolkit_portal.models import Notification
from toolkit_portal.notifications import sweep
from trainings import services as training_services
from trainings.models import Training

PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _url_parts(name):
    """An object URL as SQL text around the object's id: 'prefix' || id || 'suffix'."""
    prefix, suffix = reverse(name, kwargs={"pk": PLACEHOLDER}).split(PLACEHOLDER)
    return prefix, suffix


# The reminder rules of survivors/reminders.py as one INSERT … SELECT. The other providers'
# rows are few and already recorded in the seeded data, so both sides insert the same rows.
SWEEP_SQL = """
WITH params AS (
    SELECT %(now)s::timestamptz AS now, %(today)s::date AS today,
           %(soon)s::timestamptz AS soon_until, %(due_until)s::date AS due_until
), coordinators AS MATERIALIZED (
    SELECT m.partnership_id, m.user_id, u.email
    FROM partnerships_membership m JOIN toolkit_portal_user u ON u.id = m.user_id
    WHERE m.role = 'coordinator' AND u.is_active AND u.approved_at IS NOT NULL
), admins AS MATERIALIZED (
    SELECT id AS user_id FROM toolkit_portal_user
    WHERE is_active AND (role = 'admin' OR is_superuser)
), req AS (
    SELECT r.id, r.status, r.sent_at, r.consultant_id, p.user_id AS consultant_user,
           p.email_muted_kinds AS muted, e.id AS engagement_id, e.title,
           e.response_deadline, e.starts_at, e.partnership_id
    FROM survivors_participationrequest r
    JOIN survivors_engagement e ON e.id = r.engagement_id
    LEFT JOIN survivors_consultantprofile p ON p.id = r.consultant_id
), due AS (
    -- To the consultant: new, halfway reminder, cancelled, accepted.
    SELECT k.kind, req.consultant_user AS recipient, %(pr_type)s AS content_type,
           req.id::text AS object_id, k.occasion,
           %(req_prefix)s || req.id::text || %(req_suffix)s AS url, req.title AS label,
           NOT (k.preference = ANY(req.muted)) AS email_wanted
    FROM req, params,
         (VALUES ('request_new', 'pending', 'sent', 'request_new'),
                 ('request_reminder', 'pending', 'halfway', 'request_reminder'),
                 ('request_cancelled', 'cancelled', 'cancelled', 'request_cancelled'),
                 ('request_accepted', 'accepted', 'accepted', 'engagement_soon'))
             AS k(kind, status, occasion, preference)
    WHERE req.status = k.status AND req.consultant_id IS NOT NULL
      AND (k.kind <> 'request_reminder' OR (
            req.sent_at + (req.response_deadline - req.sent_at) / 2 <= params.now
            AND req.response_deadline > params.now))
      AND NOT EXISTS (SELECT 1 FROM toolkit_portal_notification n
                      WHERE n.kind = k.kind AND n.content_type_id = %(pr_type)s
                        AND n.object_id = req.id::text)
    UNION ALL
    -- To the coordinators: answered or expired (each status its own occasion).
    SELECT k.kind, c.user_id, %(pr_type)s, req.id::text, req.status,
           %(eng_prefix)s || req.engagement_id::text || %(eng_suffix)s, req.title, TRUE
    FROM req
    JOIN (VALUES ('request_answered', 'accepted'), ('request_answered', 'declined'),
                 ('request_answered', 'withdrawn'), ('request_expired', 'expired'))
         AS k(kind, status) ON req.status = k.status
    JOIN coordinators c ON c.partnership_id = req.partnership_id
    WHERE NOT EXISTS (SELECT 1 FROM toolkit_portal_notification n
                      WHERE n.kind = k.kind AND n.content_type_id = %(pr_type)s
                        AND n.object_id = req.id::text AND n.occasion = req.status)
    UNION ALL
    -- An accepted engagement in two days: the consultant.
    SELECT 'engagement_soon', req.consultant_user, %(pr_type)s, req.id::text,
           to_char(req.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
           %(req_prefix)s || req.id::text || %(req_suffix)s, req.title,
           NOT ('engagement_soon' = ANY(req.muted))
    FROM req, params
    WHERE req.status = 'accepted' AND req.consultant_id IS NOT NULL
      AND req.starts_at > params.now AND req.starts_at <= params.soon_until
      AND NOT EXISTS (SELECT 1 FROM toolkit_portal_notification n
                      WHERE n.kind = 'engagement_soon' AND n.content_type_id = %(pr_type)s
                        AND n.object_id = req.id::text)
    UNION ALL
    -- … and the partnership's coordinators.
    SELECT 'engagement_soon', c.user_id, %(eng_type)s, e.id::text,
           to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00',
           %(eng_prefix)s || e.id::text || %(eng_suffix)s, e.title, TRUE
    FROM survivors_engagement e, params
    JOIN coordinators c ON TRUE
    WHERE c.partnership_id = e.partnership_id AND e.status = 'open'
      AND e.starts_at > params.now AND e.starts_at <= params.soon_until
      AND EXISTS (SELECT 1 FROM survivors_participationrequest r
                  WHERE r.engagement_id = e.id AND r.status = 'accepted')
      AND NOT EXISTS (SELECT 1 FROM toolkit_portal_notification n
                      WHERE n.kind = 'engagement_soon' AND n.content_type_id = %(eng_type)s
                        AND n.object_id = e.id::text)
    UNION ALL
    -- Unpaid and due within a week: the coordinators.
    SELECT 'compensation_due_soon', c.user_id, %(comp_type)s, co.id::text, co.due_on::text,
           %(comp_list)s, e.title, TRUE
    FROM survivors_compensation co, params
    JOIN survivors_participationrequest r ON TRUE
    JOIN survivors_engagement e ON e.id = r.engagement_id
    JOIN coordinators c ON TRUE
    WHERE r.id = co.request_id AND c.partnership_id = co.partnership_id
      AND co.status <> 'paid' AND co.due_on >= params.today AND co.due_on <= params.due_until
      AND NOT EXISTS (SELECT 1 FROM toolkit_portal_notification n
                      WHERE n.kind = 'compensation_due_soon' AND n.content_type_id = %(comp_type)s
                        AND n.object_id = co.id::text AND n.occasion = co.due_on::text)
    UNION ALL
    -- Overdue: weekly to the responsible coordinator, once to the others and the admins.
    SELECT x.kind, x.recipient, %(comp_type)s, x.id::text, x.occasion, %(comp_list)s,
           x.title, TRUE
    FROM (
        SELECT co.id, e.title, co.due_on, resp.user_id AS responsible,
               (params.today - co.due_on) / 7 AS weeks, co.partnership_id
        FROM survivors_compensation co, params
        JOIN survivors_participationrequest r ON TRUE
        JOIN survivors_engagement e ON e.id = r.engagement_id
        LEFT JOIN LATERAL (
            SELECT c.user_id FROM coordinators c WHERE c.partnership_id = e.partnership_id
            ORDER BY (c.user_id = e.created_by_id) DESC, c.email LIMIT 1
        ) resp ON TRUE
        WHERE r.id = co.request_id AND co.status <> 'paid' AND co.due_on < params.today
          AND NOT EXISTS (
              SELECT 1 FROM toolkit_portal_notification n
              WHERE n.kind = 'compensation_overdue' AND n.content_type_id = %(comp_type)s
                AND n.object_id = co.id::text
                AND n.occasion = co.due_on::text || ':week' || (params.today - co.due_on) / 7)
    ) o
    CROSS JOIN LATERAL (
        SELECT 'compensation_overdue' AS kind, o.responsible AS recipient,
               o.due_on::text || ':week' || o.weeks AS occasion, o.id, o.title
        WHERE o.responsible IS NOT NULL
        UNION ALL
        SELECT 'compensation_escalated', u.user_id, o.due_on::text, o.id, o.title
        FROM (SELECT user_id FROM coordinators WHERE partnership_id = o.partnership_id
              UNION SELECT user_id FROM admins) u
        WHERE u.user_id IS DISTINCT FROM o.responsible
    ) x
    UNION ALL
    -- Paid (and not yet told) or reported not received: the consultant.
    SELECT 'compensation_paid', p.user_id, %(comp_type)s, co.id::text,
           'paid:' || coalesce(co.paid_on::text, 'None'),
           %(comp_prefix)s || co.id::text || %(comp_suffix)s, e.title,
           NOT ('compensation_paid' = ANY(p.email_muted_kinds))
    FROM survivors_compensation co
    JOIN survivors_consultantprofile p ON p.id = co.consultant_id
    JOIN survivors_participationrequest r ON r.id = co.request_id
    JOIN survivors_engagement e ON e.id = r.engagement_id
    WHERE co.status = 'paid'
      AND NOT EXISTS (SELECT 1 FROM toolkit_portal_notification n
                      WHERE n.kind = 'compensation_paid' AND n.content_type_id = %(comp_type)s
                        AND n.object_id = co.id::text
                        AND n.occasion = 'paid:' || coalesce(co.paid_on::text, 'None'))
    UNION ALL
    SELECT 'compensation_reopened', p.user_id, %(comp_type)s, co.id::text,
           'reopened:' || coalesce(to_char(co.reopened_at AT TIME ZONE 'UTC',
               'YYYY-MM-DD HH24:MI:SS') || '+00:00', 'None'),
           %(comp_prefix)s || co.id::text || %(comp_suffix)s, e.title,
           NOT ('compensation_paid' = ANY(p.email_muted_kinds))
    FROM survivors_compensation co
    JOIN survivors_consultantprofile p ON p.id = co.consultant_id
    JOIN survivors_participationrequest r ON r.id = co.request_id
    JOIN survivors_engagement e ON e.id = r.engagement_id
    WHERE co.status = 'reopened'
    UNION ALL
    -- … and the coordinators of a reopened one.
    SELECT 'compensation_reopened', c.user_id, %(comp_type)s, co.id::text,
           'reopened:' || coalesce(to_char(co.reopened_at AT TIME ZONE 'UTC',
               'YYYY-MM-DD HH24:MI:SS') || '+00:00', 'None'),
           %(comp_list)s, e.title, TRUE
    FROM survivors_compensation co
    JOIN survivors_participationrequest r ON r.id = co.request_id
    JOIN survivors_engagement e ON e.id = r.engagement_id
    JOIN coordinators c ON c.partnership_id = co.partnership_id
    WHERE co.status = 'reopened' AND co.consultant_id IS NOT NULL
)
INSERT INTO toolkit_portal_notification
    (kind, recipient_id, content_type_id, object_id, occasion, url, subject_label, status,
     email_wanted, attempts, last_error, created_at, next_attempt_at)
SELECT kind, recipient, content_type, object_id, left(occasion, 100), url, left(label, 200),
       'pending', email_wanted, 0, '', %(now)s, %(now)s
FROM due
ON CONFLICT DO NOTHING
"""


# The sweep first expires requests whose answer deadline passed (services.expire_request).
EXPIRE_SQL = """
UPDATE survivors_participationrequest r SET status = 'expired', closed_at = %(now)s
FROM survivors_engagement e
WHERE e.id = r.engagement_id AND r.status = 'pending' AND e.response_deadline < %(now)s
"""


def raw_sweep(now, explain=False):
    from datetime import timedelta

    from django.conf import settings

    req_prefix, req_suffix = _url_parts("survivors:my-request-detail")
    eng_prefix, eng_suffix = _url_parts("survivors:engagement-detail")
    comp_prefix, comp_suffix = _url_parts("survivors:my-compensation-detail")
    today = timezone.localdate(now)
    params = {
        "now": now,
        "today": today,
        "soon": now + timedelta(days=settings.REMINDER_ENGAGEMENT_DAYS_BEFORE),
        "due_until": today + timedelta(days=settings.REMINDER_COMPENSATION_DAYS_BEFORE),
        "pr_type": ContentType.objects.get_for_model(ParticipationRequest).pk,
        "eng_type": ContentType.objects.get_for_model(Engagement).pk,
        "comp_type": ContentType.objects.get_for_model(Compensation).pk,
        "req_prefix": req_prefix,
        "req_suffix": req_suffix,
        "eng_prefix": eng_prefix,
        "eng_suffix": eng_suffix,
        "comp_prefix": comp_prefix,
        "comp_suffix": comp_suffix,
        "comp_list": reverse("survivors:compensation-list"),
    }
    with connection.cursor() as cursor:
        if explain:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + SWEEP_SQL, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(EXPIRE_SQL, params)
        cursor.execute(SWEEP_SQL, params)
        return cursor.rowcount


def _rolled_back(function):
    """Run `function()` in a transaction that is rolled back; return (seconds, result,
    notifications inserted)."""
    with transaction.atomic():
        before = Notification.objects.count()
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
        inserted = Notification.objects.count() - before
        transaction.set_rollback(True)
    return elapsed, result, inserted


def orm_sweep(now):
    return sweep(now, enqueue=False)


def measure_pair(name, side_a, side_b, rounds, goal):
    """Alternate the two sides `rounds` times; the ratio is the median of per-round ratios."""
    a_times, b_times, ratios = [], [], []
    for index in range(rounds):
        order = [("a", side_a), ("b", side_b)] if index % 2 == 0 else [("b", side_b), ("a", side_a)]
        got = {}
        for label, side in order:
            got[label] = side()
        a_times.append(got["a"])
        b_times.append(got["b"])
        ratios.append(got["a"] / got["b"])
    return {
        "name": name,
        "ratio": round(statistics.median(ratios), 3),
        "goal": goal,
        "p50_ms": round(statistics.median(a_times) * 1000, 2),
        "p95_ms": round(_percentile(a_times, 95) * 1000, 2),
        "rps": round(len(a_times) / sum(a_times), 2),
        "baseline_p50_ms": round(statistics.median(b_times) * 1000, 2),
        "runs": rounds,
    }


def _percentile(values, percent):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def sweep_pair(rounds=5):
    now = timezone.now()
    counts = {}

    def orm():
        elapsed, _result, inserted = _rolled_back(lambda: orm_sweep(now))
        counts["orm"] = inserted
        return elapsed

    def raw():
        elapsed, _result, inserted = _rolled_back(lambda: raw_sweep(now))
        counts["raw"] = inserted
        return elapsed

    result = measure_pair("reminder sweep vs one INSERT … SELECT", orm, raw, rounds, 2.0)
    result["rows_inserted"] = counts
    result["requests"] = ParticipationRequest.objects.count()
    if counts["orm"] != counts["raw"]:
        result["warning"] = "the two sides inserted different numbers of rows"
    return result


# The catalog search -------------------------------------------------------------------------

# What the catalog must do, written once by hand: the full-text match, the forgiving match on
# title and provider (substring, and trigram word similarity where pg_trgm is installed, as
# `search_trainings` does), the rank with the closeness of the spelling and an exact title
# first, and each person's latest rating only (`TrainingQuerySet.with_ratings`).
SEARCH_MATCH = """
t.is_published AND (t.search_vector @@ websearch_to_tsquery('english', %(q)s)
      OR t.title ILIKE %(like)s OR p.name ILIKE %(like)s {similar})
"""
CLOSENESS = "greatest(word_similarity(%(q)s, t.title), word_similarity(%(q)s, p.name))"
SEARCH_SQL_COUNT = """
SELECT count(*) FROM trainings_training t JOIN trainings_provider p ON p.id = t.provider_id
WHERE {match}
"""
SEARCH_SQL_PAGE = """
SELECT t.id AS training_id, r.rating_average, coalesce(r.rating_count, 0), t.*, p.name,
       ts_rank(t.search_vector, websearch_to_tsquery('english', %(q)s)) + {closeness} / 2
         + CASE WHEN upper(t.title) = upper(%(q)s) THEN 10.0 ELSE 0.0 END AS rank
FROM trainings_training t JOIN trainings_provider p ON p.id = t.provider_id
LEFT JOIN LATERAL (
    SELECT avg(latest.rating) AS rating_average, count(*) AS rating_count
    FROM (
        SELECT DISTINCT ON (tr.person_id) ev.rating
        FROM trainings_trainingrecord tr JOIN trainings_evaluation ev ON ev.record_id = tr.id
        WHERE tr.training_id = t.id
        ORDER BY tr.person_id, ev.updated_at DESC, ev.id DESC
    ) latest
) r ON TRUE
WHERE {match}
ORDER BY rank DESC, t.title LIMIT %(limit)s
"""


def _search_sql():
    if training_services.trigram_available():
        similar = f"OR {CLOSENESS} >= {training_services.SIMILAR_ENOUGH}"
        closeness = CLOSENESS
    else:
        similar, closeness = "", "0.0"
    match = SEARCH_MATCH.format(similar=similar)
    return (
        SEARCH_SQL_COUNT.format(match=match),
        SEARCH_SQL_PAGE.format(match=match, closeness=closeness),
    )


def catalog_orm(q):
    trainings = training_services.search_trainings(
        Training.objects.published().select_related("provider").with_ratings(), q, "relevance"
    )
    page = Paginator(trainings, settings.PAGE_SIZE).get_page(1)
    return page.paginator.count, list(page)


def catalog_raw(q):
    params = {"q": q, "like": f"%{q}%", "limit": settings.PAGE_SIZE}
    count_sql, page_sql = _search_sql()
    with connection.cursor() as cursor:
        cursor.execute(count_sql, params)
        (count,) = cursor.fetchone()
        cursor.execute(page_sql, params)
        return count, cursor.fetchall()


def catalog_pair(q="trauma-informed screening", rounds=15, repeat=20):
    def timed(function):
        def run():
            started = time.perf_counter()
            for _n in range(repeat):
                function(q)
            return (time.perf_counter() - started) / repeat

        return run

    orm_count, orm_rows = catalog_orm(q)
    raw_count, raw_rows = catalog_raw(q)
    result = measure_pair(
        "catalog search vs the same full-text query in SQL",
        timed(catalog_orm),
        timed(catalog_raw),
        rounds,
        1.5,
    )
    result["matches"] = {"orm": orm_count, "raw": raw_count}

    # The same trainings in the same order, with the same ratings (the ORM's average is a
    # float, the cursor's a Decimal).
    def rated(pk, average, count):
        return pk, None if average is None else round(float(average), 6), count

    orm_page = [rated(t.pk, t.rating_average, t.rating_count) for t in orm_rows]
    raw_page = [rated(*row[:3]) for row in raw_rows]
    if orm_count != raw_count or orm_page != raw_page:
        result["warning"] = "the two sides found different rows"
    return result
