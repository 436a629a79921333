"""Establishment pages: thin views that check access, validate, call a service and render.

Filters live in the address (GET) so any view of the table can be bookmarked, shared and
downloaded with `format=csv` or `format=xlsx`. Forms post, call one service and redirect.
"""
