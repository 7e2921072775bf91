"""The coordinators' dashboard: views, the tables and charts they draw, CSV downloads."""

from .views import bp

__all__ = ["bp"]
