"""Views of the registry, split like residents/services: people (list, search, one resident), households
(households, groups, special populations), representatives, importing (import and export)."""
