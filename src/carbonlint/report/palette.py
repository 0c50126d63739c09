"""The energy label's colours, one table for the SVG label, the report's charts and its badges.

The EU energy label's colours, A (dark green) to E (red), and the ink legible on each: white on
A and E, dark on the lighter B, C and D. No import of matplotlib here: ``carbonlint label``
needs no extra.
"""

from __future__ import annotations

LABEL_COLOURS = {"A": "#00a651", "B": "#8dc63f", "C": "#ffdd00", "D": "#f7941d", "E": "#ed1c24"}
LABEL_INK = {"A": "#ffffff", "B": "#1a1a1a", "C": "#1a1a1a", "D": "#1a1a1a", "E": "#ffffff"}
