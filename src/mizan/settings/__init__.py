"""Settings package: ``base`` for development and the defaults, ``production``, ``test``."""
