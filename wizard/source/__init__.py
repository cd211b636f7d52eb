"""The outside world coming in, and files going out.

Untrusted files read into the model with located errors (trees, answers, scenarios), the
shipped trees, standard input, environment variables and the clock (`Environment`), and files
written whole or not at all (`save`).
"""
