"""The WSGI entry point for production: `gunicorn 'litigation.wsgi:app'`.

A workflows.yaml with problems, or one that would strand open proceedings, stops start-up
with one `file:line: message` line per problem and no Python traceback.
"""

from __future__ import annotations

import sys

from . import create_app
from .config import ConfigError
from .workflows import WorkflowError

# gunicorn's own code for "a worker failed to boot": its master then stops instead of
# starting the same failing worker again and again.
WORKER_BOOT_ERROR = 3

try:
    app = create_app()
except WorkflowError as error:
    print("workflows.yaml has problems; fix them and start again:", file=sys.stderr)
    for problem in error.problems:
        print(problem, file=sys.stderr)
    sys.exit(WORKER_BOOT_ERROR)
except ConfigError as error:
    print(f"configuration: {error}", file=sys.stderr)
    sys.exit(WORKER_BOOT_ERROR)
