from django.core.management.base import BaseCommand

from toolkit_portal.retention import purge_expired


class Command(BaseCommand):
    help = (
        "Remove or anonymise personal data past its retention (RETENTION_* settings). "
        "Beat runs the same once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would be removed or anonymised, and change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        outcomes = purge_expired(dry_run=dry_run)
        verb = ("would delete", "would anonymise") if dry_run else ("deleted", "anonymised")
        for outcome in outcomes:
            parts = []
            if outcome.deleted:
                parts.append(f"{verb[0]} {outcome.deleted}")
            if outcome.anonymised:
                parts.append(f"{verb[1]} {outcome.anonymised}")
            self.stdout.write(f"{outcome.description}: {', '.join(parts) or 'nothing'}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
        else:
            total = sum(o.deleted + o.anonymised for o in outcomes)
            self.stdout.write(self.style.SUCCESS(f"Done: {total} rows removed or anonymised."))
