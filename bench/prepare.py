"""Migrate the database and seed it at scale unless it already holds seeded rows.

python -m bench.prepare --consultants 10000 --partnerships 500 --requests 200000
"""

import os
import subprocess
import sys

from .server import BASE_DIR


def main():
    env = {**os.environ, "DJANGO_ENV": "development", "DJANGO_SETTINGS_MODULE": "bench.settings"}
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603
        [
            *manage,
            "shell",
            "-c",
            "from toolkit_portal.models import User;"
            "print(User.objects.filter(email__endswith='@scale.example').exists())",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # `shell` may first say how many objects it imported: the answer is the last line.
    if seeded.splitlines()[-1:] == ["True"]:
        print("The database is already seeded.")
        return
    subprocess.run([*manage, "seed_scale", *sys.argv[1:]], env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
