"""The settings file's ``columns`` (#16: the column chooser's default): read, a bad one named with its line and
ignored, and saved keeping the rest of the file."""

from __future__ import annotations

from pathlib import Path

from tracker.core.config.settings import load_config, save_setting


def test_columns_setting_read_checked_and_saved(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\ncolumns = "capacity, id"\n')
    config = load_config(path, env={})
    assert config.value("columns") == "capacity, id" and config.problems == ()
    path.write_text('theme = "nord"\ncolumns = "id,colour"\n')
    bad = load_config(path, env={})
    assert bad.value("columns") is None
    assert bad.problems == (
        f"{path}:2: columns = 'id,colour': the deals table's extra columns (id, capacity, alliances, description, confidence);"
        " ignored",
    )
    save_setting(path, "columns", "")  # no extra column: allowed, and kept
    assert path.read_text() == 'theme = "nord"\ncolumns = ""\n'
    assert load_config(path, env={}).value("columns") == "" and load_config(path, env={}).problems == ()
