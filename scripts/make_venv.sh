#!/usr/bin/env bash
# make_venv.sh DIR PYTHON_VERSION REQUIREMENTS: create DIR with that Python and install the pinned requirements.
# Make calls it only when the requirements file is newer than DIR/.installed, so a second run installs nothing.
set -euo pipefail
dir=$1 version=$2 requirements=$3

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

python=$(find_python) || {
  echo "error: Python $version is needed for $dir but was not found." >&2
  echo "Install it (e.g. 'pyenv install $version', or your OS package python$version with venv) and run make again." >&2
  exit 1
}
echo "== $dir: Python $("$python" -c 'import platform; print(platform.python_version())') ($python), $requirements"
[ -x "$dir/bin/python" ] || "$python" -m venv "$dir"
"$dir/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements"
touch "$dir/.installed"
