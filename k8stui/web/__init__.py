"""``k8stui web``: the game in a browser, one game process per tab (needs the ``web`` extra)."""
