"""Instructor tools run after grading: feedback pages for students and the class summary report."""
