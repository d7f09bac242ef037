"""The project shell: settings, URLs, the home dashboards and the demo data. It sits on top
of every app and may import any of them; no app imports it (README, "Architecture")."""
