"""Default locations (per-user data and config folders)."""

from __future__ import annotations

from pathlib import Path


def default_ledger_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("gdprkit", appauthor=False) / "ledger.db"


def user_config_dir() -> Path:
    import os

    env = os.environ.get("GDPRKIT_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path("gdprkit", appauthor=False)
