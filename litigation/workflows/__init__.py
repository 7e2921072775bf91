"""The workflow domain: routes as data, validation, state machines and deadline arithmetic.

Pure Python: nothing here imports Flask, SQLAlchemy or the web layer (tests/test_layering.py).
"""

from .loaded import Registry
from .loader import check_file as check
from .loader import load_workflows as load
from .problems import Problem, WorkflowError

__all__ = ["Problem", "Registry", "WorkflowError", "check", "load"]
