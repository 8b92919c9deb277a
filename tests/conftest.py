"""Every tier: the API level the suite speaks unless a test says otherwise.

The suite was written against the seed's API level (mixpeek SDK 1.3.1), and it stays that
level's contract: it runs with ``MIXPEEK_API_VERSION=1.3.1`` (the provider's default is
today's level, 1.3.783). The local server the tests start speaks 1.3.1 unless a test asks
for another level (``tests/support/emulator.py``). A test of today's level sets the level
itself: ``mixpeek:apiVersion`` in the stack's or provider's config wins over the
environment.
"""

from __future__ import annotations

import os

#: Set at import, before any fixture or provider reads the environment.
os.environ["MIXPEEK_API_VERSION"] = "1.3.1"
