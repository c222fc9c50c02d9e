"""Words a person reads on the live pages, handed to the JavaScript with every page.

They are defined once in Python (``services.scoring`` and friends) and rendered into a
``<script type="application/json" id="words">`` data block (``_words.html``, included by the
live pages' ``page_words`` block of ``base.html``); ``ui.js`` reads it (``pageWords``), so
the pages never keep a second copy of them.
"""

from .services.scoring import ITEM9_GRADES


def page_words() -> dict:
    """The words the page scripts show: ``item9_grades`` maps "0".."3" to words."""
    return {"item9_grades": {str(answer): words for answer, words in ITEM9_GRADES.items()}}


def init_app(app) -> None:
    """Make ``page_words()`` available to every template."""
    app.context_processor(lambda: {"page_words": page_words})
