"""Figures, exports and printable reports of scored results.

Imports `scoring` (and plotly, openpyxl, the standard library) only: never
streamlit, storage, auth or ui, so the same code serves the app, the CLI and tests.
"""
