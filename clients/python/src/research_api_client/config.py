"""Where credentials come from: arguments, then environment variables, then a config file.

The config file is TOML, by default ``~/.config/research-api/config.toml`` (or the path in
``RESEARCH_API_CONFIG``), one table per profile::

    [default]
    url = "https://research.example.org"
    client_key = "..."
    client_secret = "..."

Secrets are never printed: ``repr`` of a :class:`Credentials` hides them. Each value is
looked up on its own, so ``RESEARCH_API_URL`` in the environment wins over a profile's
``url``: unset it when using profiles for several servers.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from research_api_client.errors import ConfigError

ENVIRONMENT = {
    "url": "RESEARCH_API_URL",
    "client_key": "RESEARCH_API_CLIENT_KEY",
    "client_secret": "RESEARCH_API_CLIENT_SECRET",
}
DEFAULT_URL = "http://127.0.0.1:8000"


def default_config_path() -> Path:
    if os.environ.get("RESEARCH_API_CONFIG"):
        return Path(os.environ["RESEARCH_API_CONFIG"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "research-api" / "config.toml"


@dataclass(frozen=True)
class Credentials:
    url: str
    client_key: str
    client_secret: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Credentials(url={self.url!r}, client_key={self.client_key!r}, client_secret=***)"


def _from_file(path: Path, profile: str, explicit: bool) -> dict:
    if not path.exists():
        if explicit:
            raise ConfigError(f"config file {path} does not exist")
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None
    if profile not in document:
        if explicit or profile != "default":
            raise ConfigError(f"config file {path} has no [{profile}] profile")
        return {}
    table = document[profile]
    if not isinstance(table, dict):
        raise ConfigError(f"[{profile}] in {path} is not a table")
    unknown = set(table) - set(ENVIRONMENT)
    if unknown:
        raise ConfigError(
            f"[{profile}] in {path} has unknown keys: {', '.join(sorted(unknown))} "
            f"(known: {', '.join(ENVIRONMENT)})"
        )
    return {k: str(v) for k, v in table.items()}


def resolve(
    url: str | None = None,
    client_key: str | None = None,
    client_secret: str | None = None,
    *,
    config: str | os.PathLike | None = None,
    profile: str = "default",
) -> Credentials:
    """Each value from the first of: the argument, its environment variable, the config
    file's profile. The URL defaults to a local server."""
    path = Path(config) if config else default_config_path()
    from_file = _from_file(path, profile, explicit=config is not None or profile != "default")
    given = {"url": url, "client_key": client_key, "client_secret": client_secret}
    values = {
        name: given[name] or os.environ.get(variable) or from_file.get(name)
        for name, variable in ENVIRONMENT.items()
    }
    missing = [name for name in ("client_key", "client_secret") if not values[name]]
    if missing:
        raise ConfigError(
            "no "
            + " or ".join(missing)
            + ": pass it, set "
            + " and ".join(ENVIRONMENT[m] for m in missing)
            + f", or write it to [{profile}] in {path}"
        )
    return Credentials(
        url=(values["url"] or DEFAULT_URL).rstrip("/"),
        client_key=values["client_key"],
        client_secret=values["client_secret"],
    )
