"""Siaga Siber's scoring engine: questionnaire files in, scores, gaps and actions out.

Pure Python: it imports nothing of ours and no UI or database library.
"""
