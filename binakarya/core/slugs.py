from django.db.models import Model
from django.utils.text import slugify


def unique_slug(
    model: type[Model], text: str, *, max_length: int = 100, exclude_pk: int | None = None, field: str = ""
) -> str:
    """A slug of ``text`` that no row of ``model`` uses yet in ``field``, suffixed -2, -3… when needed.

    ``field`` defaults to ``slug``, or ``code`` for models that have no slug.
    """
    field = field or ("slug" if any(f.name == "slug" for f in model._meta.fields) else "code")
    base = slugify(text)[:max_length].strip("-") or "item"
    candidate, n = base, 1
    qs = model._default_manager.all()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    taken = set(qs.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    while candidate in taken:
        n += 1
        candidate = f"{base[: max_length - len(str(n)) - 1]}-{n}"
    return candidate
