"""The audit trail becomes append-only in the database itself.

First, entries written before this migration lose the personal data they held (the actor's
email, the record's text as a label, an email in the details): once the trigger exists they
could never be erased. Then a trigger refuses every UPDATE and DELETE of an entry, and a
statement trigger refuses TRUNCATE. Only a session that sets `portal.audit_truncate` to
`allow` may truncate: the test settings do, because Django empties every table between
transactional tests; nothing else sets it.
"""

from django.db import migrations

SCRUB_PERSONAL_DATA = """
UPDATE toolkit_portal_auditentry AS entry
   SET actor_label = coalesce(nullif(account.role, ''), 'user') || ' #' || entry.actor_id
  FROM toolkit_portal_user AS account
 WHERE entry.actor_id = account.id;
UPDATE toolkit_portal_auditentry
   SET actor_label = 'user #' || actor_id
 WHERE actor_id IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM toolkit_portal_user AS account WHERE account.id = actor_id);
UPDATE toolkit_portal_auditentry
   SET actor_label = 'system'
 WHERE actor_id IS NULL;
UPDATE toolkit_portal_auditentry
   SET object_label = left(split_part(object_type, '.', 2) || ' #' || object_id, 200);
UPDATE toolkit_portal_auditentry
   SET details = details - 'email'
 WHERE details ? 'email';
"""

CREATE_TRIGGERS = """
CREATE FUNCTION toolkit_portal_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND current_setting('portal.audit_truncate', true) IS NOT DISTINCT FROM 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER toolkit_portal_auditentry_append_only
    BEFORE UPDATE OR DELETE ON toolkit_portal_auditentry
    FOR EACH ROW EXECUTE FUNCTION toolkit_portal_audit_append_only();
CREATE TRIGGER toolkit_portal_auditentry_no_truncate
    BEFORE TRUNCATE ON toolkit_portal_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION toolkit_portal_audit_append_only();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS toolkit_portal_auditentry_no_truncate ON toolkit_portal_auditentry;
DROP TRIGGER IF EXISTS toolkit_portal_auditentry_append_only ON toolkit_portal_auditentry;
DROP FUNCTION IF EXISTS toolkit_portal_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("toolkit_portal", "0004_user_language"),
    ]

    operations = [
        # The labels and details written before cannot be restored: reversing keeps them.
        migrations.RunSQL(SCRUB_PERSONAL_DATA, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(CREATE_TRIGGERS, reverse_sql=DROP_TRIGGERS),
    ]
