"""Print `export K=V` lines for settings in the given .env files that the environment does not set yet.

Earlier files win over later ones, and the environment wins over all (used by scripts/env.sh).
"""

import os
import shlex
import sys

from dotenv import dotenv_values

seen = set(os.environ)
for path in sys.argv[1:]:
    if os.path.exists(path):
        for key, value in dotenv_values(path).items():
            if key not in seen and value is not None:
                seen.add(key)
                print(f"export {key}={shlex.quote(value)}")
