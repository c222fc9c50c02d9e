"""The HTTP side: one blueprint a module; thin views over the rules in ``services``.

``guards`` holds the checks and loaders views share, ``filters`` the words and filters
templates use.
"""
