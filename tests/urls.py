"""Walk every URL pattern of the project, for tests that must cover each address."""

from django.urls import URLResolver, get_resolver


def all_url_names():
    """Every named pattern, namespaced, e.g. "partnerships:detail"."""

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return sorted(set(walk(get_resolver().url_patterns)))
