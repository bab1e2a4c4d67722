"""Answering a question: reading it, weighing evidence, quoting it, or generating and verifying."""
