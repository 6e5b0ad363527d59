#!/usr/bin/env bash
# make_venv.sh DIR PYTHON_VERSION REQUIREMENTS...: create DIR with that Python (once) and install the pinned
# requirements files into it, in order. Make calls it only when a requirements file is newer than its stamp.
set -euo pipefail
dir=$1 version=$2
shift 2

find_python() {
  local candidate
  for candidate in "python$version" "$(pyenv root 2>/dev/null)"/versions/"$version".*/bin/"python$version" \
                   "$HOME"/.pyenv/versions/"$version".*/bin/"python$version"; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys, venv' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x "$dir/bin/python" ]; then
  python=$(find_python) || {
    echo "error: Python $version is needed for $dir but was not found." >&2
    echo "Install it (e.g. 'pyenv install $version', or your OS package python$version with venv) and run make again." >&2
    exit 1
  }
  echo "== $dir: Python $("$python" -c 'import platform; print(platform.python_version())') ($python)"
  "$python" -m venv "$dir"
fi
for requirements in "$@"; do
  echo "== $dir: $requirements"
  "$dir/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements"
done
