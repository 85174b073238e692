"""A real wheel install, used from another directory: what `pip install .` gives an operator."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUPTOOLS = 77  # the oldest setuptools that pyproject.toml's build-system accepts
Q_DATE = "When was Executive Order 14025 signed?"

pytestmark = pytest.mark.install


def _offline_build_refusal() -> str | None:
    """Why this environment cannot build the wheel offline, or None if it can."""
    try:
        major = int(metadata.version("setuptools").split(".")[0])
    except metadata.PackageNotFoundError:
        major = 0
    if major < SETUPTOOLS:
        return (
            f"building the wheel offline needs setuptools>={SETUPTOOLS} in this environment "
            "(the test extra installs it: pip install -e '.[test]')"
        )
    return None


def _run(*argv: str | Path, cwd: Path) -> str:
    """Run a command outside the repository's reach (no PYTHONPATH, no Steward settings)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONPATH" and not k.startswith(("STEWARD_", "DISCORD_"))
    }
    proc = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, f"{proc.args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(virtualenv, wheel): the wheel built from a copy of the sources and installed into a
    throwaway virtualenv that borrows this environment's dependencies, all offline."""
    if reason := _offline_build_refusal():
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"  # a copy, so that the build leaves nothing in the repository
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("bot", "cogs", "knowledge"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    pip = (sys.executable, "-m", "pip")
    _run(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", tmp, src, cwd=tmp)
    (wheel,) = tmp.glob("steward-*.whl")
    venv = tmp / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp
        ).strip()
    )
    deps = [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]
    (purelib / "borrowed-dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    _run(*pip, "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=tmp)
    return venv, wheel


def test_the_wheel_ships_every_knowledge_file(installed):
    _venv, wheel = installed
    knowledge = ROOT / "knowledge"
    expected = {
        p.relative_to(knowledge).as_posix()
        for p in knowledge.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    prefix = "bot/bundled_knowledge/"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    shipped = {n.removeprefix(prefix) for n in names if n.startswith(prefix)}
    assert expected and shipped == expected
    assert {"bot/decision.json", "bot/query_maps.npz"} <= names  # the trained model


def test_installed_steward_answers_and_checks_from_another_directory(installed, tmp_path):
    venv, _wheel = installed
    steward = venv / "bin" / "steward"
    assert "April 26, 2021" in _run(steward, "ask", Q_DATE, cwd=tmp_path)
    assert _run(steward, "check", cwd=tmp_path).startswith("ok: ")
    where = _run(
        venv / "bin" / "python",
        "-c",
        "import bot, bot.paths; print(bot.__file__); print(bot.paths.BUNDLED_KNOWLEDGE)",
        cwd=tmp_path,
    ).split()
    assert all(Path(p).is_relative_to(venv) for p in where), where  # the wheel's, not the repo's
