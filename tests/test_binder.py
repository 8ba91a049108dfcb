"""Binder (repo2docker) installs the course exactly as `make` does.

- binder/requirements.txt pins the same versions as constraints.txt (one source
  of truth: tools/binder_requirements.py generates it, and --check must agree);
- repo2docker, reading only binder/, writes a Dockerfile that uses Python
  3.11, installs binder/requirements.txt and runs binder/postBuild (which
  installs `acts`): `repo2docker --no-build --no-run --debug` prints it without
  a Docker daemon;
- (slow) a fresh venv built the way that Dockerfile builds the image
  (pip install -r binder/requirements.txt, then binder/postBuild, in a copy of
  the repository) passes `pip check` and executes a probe notebook and the
  course's first notebook.
"""

import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from course_paths import REPO, course_notebooks
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

BINDER = REPO / "binder"
COURSE_PYTHON = "3.11"


def pins(path):
    """{canonical name: version} of the `name==version` lines of a requirements file."""
    result = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{path.name}: {line!r} is not an exact pin"
        result[canonicalize_name(req.name)] = specs[0].version
    return result


def test_binder_pins_equal_constraints():
    binder, constraints = pins(BINDER / "requirements.txt"), pins(REPO / "constraints.txt")
    drift = {n: (v, constraints[n]) for n, v in binder.items() if n in constraints and constraints[n] != v}
    assert not drift, f"binder/requirements.txt and constraints.txt disagree (binder, constraints): {drift}"
    unpinned = sorted(set(binder) - set(constraints))
    assert not unpinned, f"binder/requirements.txt pins {unpinned}, which constraints.txt does not"


def test_binder_installs_everything_the_course_needs():
    binder = pins(BINDER / "requirements.txt")
    needed = [line.split("#", 1)[0].strip() for line in (REPO / "requirements.txt").read_text().splitlines()]
    needed = [canonicalize_name(Requirement(n).name) for n in needed if n and not n.startswith("-")]
    missing = [n for n in needed if n not in binder]
    assert not missing, f"binder/requirements.txt lacks {missing} from requirements.txt"


def test_binder_requirements_are_generated_from_constraints():
    run = subprocess.run(
        [sys.executable, str(REPO / "tools" / "binder_requirements.py"), "--check"],
        capture_output=True, text=True, cwd=REPO,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_binder_python_and_postbuild():
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime == f"python-{COURSE_PYTHON}", f"binder/runtime.txt says {runtime!r}"
    requires = SpecifierSet(re.search(r'requires-python\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text())[1])
    assert Version(COURSE_PYTHON) in requires
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    script = post_build.read_text()
    assert script.startswith("#!"), "binder/postBuild needs a shebang line"
    assert re.search(r"pip install .*--no-deps.* (-e )?\.\s*$", script, re.M), "binder/postBuild must install acts"


def test_repo2docker_dockerfile_installs_the_course():
    run = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug",
         "--user-id", "1000", "--user-name", "jovyan", str(REPO)],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    dockerfile = run.stdout
    assert "FROM " in dockerfile, f"repo2docker printed no Dockerfile:\n{run.stderr[-3000:]}"
    assert f"python={COURSE_PYTHON}" in run.stderr or f"environment.py-{COURSE_PYTHON}-" in dockerfile
    assert re.search(r'pip install --no-cache-dir -r "binder/requirements.txt"', dockerfile)
    assert "./binder/postBuild" in dockerfile
    # binder/ only: neither the top-level requirements.txt nor the package itself are installed directly
    assert not re.search(r'-r "requirements.txt"', dockerfile)
    assert not re.search(r"pip install --no-cache-dir \.\s*$", dockerfile, re.M)
    # the repository is copied (owned by the notebook user) before postBuild runs in it
    copy, post = dockerfile.index("COPY --chown=1000:1000 src/ ${REPO_DIR}/"), dockerfile.index("./binder/postBuild")
    assert copy < post


PROBE = """\
import sys, pathlib
import acts, ipywidgets, matplotlib, numpy, scipy.special, jupyterlab
assert pathlib.Path(sys.prefix).resolve() == pathlib.Path({venv!r}).resolve(), sys.prefix
assert pathlib.Path(acts.__file__).resolve().is_relative_to(pathlib.Path({repo!r}).resolve()), acts.__file__
slider = ipywidgets.FloatSlider()
print("binder venv ok:", acts.names()[:3], jupyterlab.__version__)
"""


@pytest.mark.slow
def test_fresh_binder_venv_runs_a_notebook(tmp_path, report):
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints", "build"))
    venv = tmp_path / "venv"
    dropped = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JUPYTER")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               IPYTHONDIR=str(tmp_path / "ipython"), MPLCONFIGDIR=str(tmp_path / "mpl"))

    def sh(*cmd, timeout=600):
        run = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout)
        assert run.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{run.stdout[-2000:]}\n{run.stderr[-3000:]}"
        return run.stdout

    start = time.perf_counter()
    sh(sys.executable, "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    sh(python, "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt")  # repo2docker's preassemble step
    sh("./binder/postBuild")  # repo2docker's assemble step, from the repository root
    installed = time.perf_counter() - start
    sh(python, "-m", "pip", "check")

    frozen = {}
    for line in sh(python, "-m", "pip", "freeze", "--exclude-editable").splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
            frozen[canonicalize_name(name)] = version
    expected = pins(BINDER / "requirements.txt")
    wrong = {n: (frozen.get(n), v) for n, v in expected.items() if frozen.get(n) != v}
    assert not wrong, f"installed vs pinned: {wrong}"
    extra = sorted(set(frozen) - set(expected) - {"pip", "setuptools", "wheel"})
    assert not extra, f"the Binder environment has packages binder/requirements.txt does not pin: {extra}"

    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE.format(venv=str(venv), repo=str(repo)))])
    probe.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(probe, tmp_path / "probe.ipynb")
    targets = [tmp_path / "probe.ipynb"]
    for notebook in course_notebooks()[:1]:  # the course's first notebook (from COURSE_ROOT, default this repo)
        target = repo / "notebooks" / notebook.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(notebook, target)
        targets.append(target)
    executed = tmp_path / "executed"
    t0 = time.perf_counter()
    sh(str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(executed),
       "--ExecutePreprocessor.kernel_name=python3", "--ExecutePreprocessor.timeout=600", *map(str, targets))
    ran = time.perf_counter() - t0
    out = nbformat.read(executed / "probe.ipynb", as_version=4)
    assert "binder venv ok" in out.cells[0].outputs[0].text
    for target in targets:
        nb = nbformat.read(executed / target.name, as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{target.name} raised in the Binder environment: {errors[0].ename}: {errors[0].evalue}"
    names = ", ".join(t.name for t in targets)
    report(f"binder venv: installed in {installed:.0f} s, executed {names} in {ran:.0f} s")
