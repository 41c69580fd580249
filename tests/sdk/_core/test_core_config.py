"""Configuration precedence and token masking (vmkit._core.config)."""

from __future__ import annotations

from pathlib import Path

from vmkit._core.config import (
    DEFAULT_BASE_URL,
    ClientConfig,
    default_token_file_candidates,
    mask_token,
    resolve_config,
)


def _token_file(tmp_path: Path, token: str = "vmk_fromfile") -> Path:
    path = tmp_path / "admin-token"
    path.write_text(token + "\n", encoding="utf-8")
    return path


def test_arguments_win(tmp_path: Path) -> None:
    """Explicit arguments beat the environment and the file."""
    env = {"VMKIT_URL": "http://env:1", "VMKIT_TOKEN": "vmk_env"}
    config = resolve_config(
        "http://arg:2/", "vmk_arg", env=env, token_file_candidates=[_token_file(tmp_path)]
    )
    assert config == ClientConfig("http://arg:2", "vmk_arg", "argument")


def test_environment_beats_the_file(tmp_path: Path) -> None:
    """VMKIT_URL / VMKIT_TOKEN come second."""
    env = {"VMKIT_URL": "http://127.0.0.1:9000", "VMKIT_TOKEN": "vmk_env"}
    config = resolve_config(None, None, env=env, token_file_candidates=[_token_file(tmp_path)])
    assert config == ClientConfig("http://127.0.0.1:9000", "vmk_env", "env")


def test_token_file_is_the_last_resort(tmp_path: Path) -> None:
    """The local server's token file is read, stripped, first existing candidate wins."""
    path = _token_file(tmp_path)
    config = resolve_config(None, None, env={}, token_file_candidates=[tmp_path / "missing", path])
    assert config == ClientConfig(DEFAULT_BASE_URL, "vmk_fromfile", str(path))


def test_empty_values_count_as_unset(tmp_path: Path) -> None:
    """An empty env var or token file is skipped."""
    empty = _token_file(tmp_path, "")
    config = resolve_config(
        "", "", env={"VMKIT_URL": "", "VMKIT_TOKEN": ""}, token_file_candidates=[empty]
    )
    assert config == ClientConfig(DEFAULT_BASE_URL, None, None)


def test_token_file_is_not_sent_to_remote_servers(tmp_path: Path) -> None:
    """The local admin token is only used for a loopback URL."""
    path = _token_file(tmp_path)
    remote = resolve_config("https://vmkit.example.com", None, env={}, token_file_candidates=[path])
    assert remote.token is None
    for url in ("http://localhost:8470", "http://[::1]:8470", "http://127.0.0.2"):
        assert resolve_config(url, None, env={}, token_file_candidates=[path]).token


def test_repr_masks_the_token() -> None:
    """The repr shows the token's kind, never the secret."""
    config = ClientConfig("http://127.0.0.1:8470", "vmk_s3cr3t", "env")
    assert "s3cr3t" not in repr(config)
    assert repr(config) == (
        "ClientConfig(base_url='http://127.0.0.1:8470', token='vmk_…', token_source='env')"
    )
    assert "s3cr3t" not in str(config)


def test_mask_token() -> None:
    """Only a short prefix survives."""
    assert mask_token("vmk_abc") == "vmk_…"
    assert mask_token("nounderscore") == "…"
    assert mask_token("averyverylongprefix_x") == "…"
    assert mask_token(None) is None


def test_default_token_file_candidates() -> None:
    """VMKIT_DATA_DIR first, then XDG_DATA_HOME or ~/.local/share."""
    home = Path("/home/u")
    assert default_token_file_candidates({}, home) == [home / ".local/share/vmkit/admin-token"]
    env = {"VMKIT_DATA_DIR": "/srv/vmkit", "XDG_DATA_HOME": "/xdg"}
    assert default_token_file_candidates(env, home) == [
        Path("/srv/vmkit/admin-token"),
        Path("/xdg/vmkit/admin-token"),
    ]


def test_unparseable_or_hostless_url_gets_no_file_token(tmp_path: Path) -> None:
    """When the host cannot be told, the local token is withheld."""
    path = _token_file(tmp_path)
    for url in ("http://a\x00b", "not a url"):
        assert resolve_config(url, None, env={}, token_file_candidates=[path]).token is None
