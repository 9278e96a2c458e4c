

def test_declared_test_dependencies_are_read_as_the_project_declares_them(tmp_path: Path) -> None:
    from claude_tui.validation.testenv import dependency_spec

    layout = tmp_path / "requests_like"
    layout.mkdir()
    (layout / "setup.py").write_text("from setuptools import setup\nsetup()\n")
    (layout / "requirements-dev.txt").write_text("-e .[socks]\npytest>=2.8.0,<9\n")
    # The project itself comes from its requirements file, not a second time from ".".
    assert dependency_spec(layout).install_args == ("-r", "requirements-dev.txt")

    click_like = tmp_path / "click_like"
    (click_like / "requirements").mkdir(parents=True)
    (click_like / "pyproject.toml").write_text(
        '[project]\nname = "c"\nversion = "1"\n\n[project.optional-dependencies]\n'
        'test = ["x"]\ndocs = ["sphinx"]\n\n[dependency-groups]\ntests = ["pytest"]\n'
    )
    (click_like / "requirements" / "tests.txt").write_text("pytest==8.3.4\n")
    (click_like / "requirements" / "tests37.txt").write_text("pytest==7.4.4\n")
    (click_like / "requirements" / "dev.txt").write_text("tox\n")
    assert dependency_spec(click_like).install_args == (
        ".[test]",
        "pytest",
        "-r",
        "requirements/tests.txt",
    )
