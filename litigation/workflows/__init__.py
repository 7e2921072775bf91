"""The workflow domain: routes as data, validation, state machines and deadline arithmetic.

Pure Python: nothing here imports Flask or the web layer (tests/test_layering.py checks).
"""
