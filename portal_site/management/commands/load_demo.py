from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal_site.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo accounts and partnership (idempotent; refused in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded when DJANGO_ENV=production.")
        load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: admin@demo.local, coordinator@demo.local, "
                f"consultant@demo.local (password {DEMO_PASSWORD})."
            )
        )
