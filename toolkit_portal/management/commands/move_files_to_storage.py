"""Copy the uploaded files kept on this machine's disk into the bucket (S3_* settings).

Run once on the machine that kept the files, after setting the bucket and before the other
web machines serve. It can be run again at any time: a file already in the bucket with the
same size is left as it is, so a run that stopped half-way simply continues. Names stay the
same, so the database needs no change. The files on disk are not deleted: remove MEDIA_ROOT
yourself once the portal serves from the bucket.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError

from toolkit_portal.storage import PrivateFileSystemStorage, is_bucket
from toolkit_portal.storage_settings import PRIVATE, PRIVATE_FOLDER


def _files(root, *, skip=None):
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and (skip is None or skip not in path.relative_to(root).parents)
    )


class Command(BaseCommand):
    help = "Copy uploaded files from MEDIA_ROOT into the bucket, idempotently, with progress."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be copied; copy nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        media = Path(settings.MEDIA_ROOT)
        # (what, files on disk, where they are on disk, where they go)
        plan = [
            (
                "private",
                _files(media / PRIVATE_FOLDER),
                PrivateFileSystemStorage(),
                storages[PRIVATE],
            ),
            (
                "media",
                _files(media, skip=Path(PRIVATE_FOLDER)),
                FileSystemStorage(location=media),
                storages["default"],
            ),
        ]
        if not all(is_bucket(target) for _what, _files_, _source, target in plan):
            raise CommandError(
                "No bucket is configured: set MEDIA_STORAGE_URL or S3_BUCKET (README, "
                "Configuration) before moving files."
            )
        total = sum(len(names) for _what, names, _s, _t in plan)
        self.stdout.write(f"{total} files under {media}")
        counts = {"copied": 0, "already there": 0, "differs, left as is": 0}
        done = 0
        for what, names, source, target in plan:
            for name in names:
                done += 1
                size = source.size(name)
                if target.exists(name):
                    outcome = "already there" if target.size(name) == size else None
                    outcome = outcome or "differs, left as is"
                elif dry_run:
                    outcome = "copied"
                else:
                    with source.open(name, "rb") as content:
                        saved = target.save(name, content)
                    if saved != name:  # only if it appeared meanwhile under the same name
                        raise CommandError(f"{name} was stored as {saved}; run again.")
                    outcome = "copied"
                counts[outcome] += 1
                verb = "would copy" if dry_run and outcome == "copied" else outcome
                self.stdout.write(f"[{done}/{total}] {what}/{name}: {verb}")
        summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Done: {summary}."))
        if counts["differs, left as is"]:
            self.stdout.write(
                self.style.WARNING(
                    "Some files differ from the bucket's copy under the same name: compare them "
                    "before deleting anything."
                )
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was copied."))
