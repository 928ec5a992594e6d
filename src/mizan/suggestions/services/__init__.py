"""Business operations on suggestions, review rounds and decisions. Each validates,
writes in one transaction with its audit entry (django-simple-history, attributed to
``by``) and returns what it changed. Views, the API, the CLI and tasks all call them.

- :mod:`.intake`: making a suggestion;
- :mod:`.rounds`: review rounds, their rubric, reviewer assignment, reviews and groups;
- :mod:`.decisions`: the committee's decisions and their release;
- :mod:`.integration`: linking accepted suggestions to a curriculum version's changelog.
"""
