"""For migrations that move models to another app without touching their tables.

The ContentType row of a moved model is renamed in place (its app label), so everything that
points at it keeps pointing at it: permissions and the groups holding them, notifications
(the reminder sweep's unique key includes the content type, so a new row would send every
reminder again), the audit trail and the admin's change log.
"""


def rename_content_types(from_app, to_app, models):
    """A RunPython pair (forwards, backwards) that moves the content types of `models`
    (lower-case model names) from `from_app` to `to_app`."""

    def move(apps, schema_editor, source, target):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in models:
            old = ContentType.objects.using(db).filter(app_label=source, model=model)
            if not old.exists():
                continue  # a new database: post_migrate creates the new rows
            # A row for the new label can only come from a partial run; it holds nothing yet.
            ContentType.objects.using(db).filter(app_label=target, model=model).delete()
            old.update(app_label=target)
        ContentType.objects.clear_cache()

    def forwards(apps, schema_editor):
        move(apps, schema_editor, from_app, to_app)

    def backwards(apps, schema_editor):
        move(apps, schema_editor, to_app, from_app)

    return forwards, backwards
