"""What the energy label and the report's charts call things and how they colour them: one
table each, for the SVG label (``carbonlint label``, no extra needed: nothing here imports
matplotlib), the report's charts and its badges.
"""

from __future__ import annotations

# The EU energy label's colours, A (dark green) to E (red), and the ink legible on each: white on
# A and E, dark on the lighter B, C and D.
LABEL_COLOURS = {"A": "#00a651", "B": "#8dc63f", "C": "#ffdd00", "D": "#f7941d", "E": "#ed1c24"}
LABEL_INK = {"A": "#ffffff", "B": "#1a1a1a", "C": "#1a1a1a", "D": "#1a1a1a", "E": "#ffffff"}

# The reporting classes' long names, as Castaño et al. (ESEM 2023) call them, lowest first.
CLASS_NAMES = {
    "unknown": "Unknown Energy Efficiency",
    "context": "Context Reporting",
    "basic": "Basic Energy Reporting",
    "awareness": "Energy Awareness",
    "optimization": "Energy Optimization",
    "certified": "Certified Energy Efficiency",
}
