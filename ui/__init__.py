"""Streamlit pages and the little they share. Only this package and app.py import streamlit."""
