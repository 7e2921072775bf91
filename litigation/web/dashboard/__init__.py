"""The coordinators' dashboard: views, the tables and charts they draw, CSV downloads."""

from . import new_lawyer  # noqa: F401  (its pages join the dashboard's blueprint)
from .views import bp

__all__ = ["bp"]
