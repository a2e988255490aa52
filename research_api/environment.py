"""Strict parsing of settings from environment variables.

Every getter names the variable in its error, so a bad value stops start-up with a message
an operator can act on instead of a stack trace somewhere later.
"""

import math
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_UNSET = object()


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if default is _UNSET:
            raise ImproperlyConfigured(f"{name} must be set")
        return None
    return value.strip()


def env_str(name: str, default=_UNSET) -> str:
    value = _raw(name, default)
    return default if value is None else value


def env_bool(name: str, default=_UNSET) -> bool:
    value = _raw(name, default)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), got {value!r}")


def env_int(
    name: str, default=_UNSET, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = _raw(name, default)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {number}")
    return number


def env_float(name: str, default=_UNSET, *, minimum: float | None = None) -> float:
    value = _raw(name, default)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or (minimum is not None and number < minimum):
        raise ImproperlyConfigured(f"{name} must be a finite number of at least {minimum}")
    return number


def env_list(name: str, default=_UNSET) -> list[str]:
    value = _raw(name, default)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items")
    return items


def env_choice(name: str, choices: tuple[str, ...], default=_UNSET) -> str:
    value = _raw(name, default)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value
