"""Checks for assignment 6, sampling: temperature sampling with priming."""
