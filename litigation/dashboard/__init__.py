"""Coordinators' figures as aggregate SQL over stays, deadlines and milestones.

Every function takes the filters and "today" and returns aggregated rows: nothing here loads
cases into Python or replays a history. The web layer (`litigation.web.dashboard.views`) shows them.
"""
