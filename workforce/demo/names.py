"""Word lists for synthetic people and agencies.

Surnames are invented compounds ("Pebblewhistle") so no demo record can be mistaken for a real
person; agencies and universities are invented too.
"""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Aisha", "Amara", "Amir", "Anna", "Ben", "Bethan", "Chen", "Chloe", "Dami", "Daniel",
    "Deepa", "Ella", "Emeka", "Erin", "Fatima", "Femi", "Grace", "Hamza", "Hannah", "Imran",
    "Isla", "Jack", "Jade", "Jamal", "Kasia", "Kemi", "Kieran", "Laura", "Leon", "Lucy",
    "Maya", "Megan", "Mo", "Nadia", "Naomi", "Nina", "Oliver", "Olu", "Priya", "Rachel",
    "Rhys", "Rosa", "Ruth", "Sam", "Sara", "Simran", "Sophie", "Tariq", "Tom", "Una",
    "Vikram", "Wei", "Yasmin", "Zainab", "Zoe", "Ewa", "Kofi", "Lena", "Mei", "Niamh",
)  # fmt: skip

SURNAME_STARTS: tuple[str, ...] = (
    "Amber", "Birch", "Bramble", "Cobble", "Dapple", "Elder", "Fennel", "Ginger", "Hazel",
    "Ivy", "Juniper", "Kettle", "Larch", "Moss", "Nettle", "Pebble", "Quill", "Rowan",
    "Saffron", "Tansy", "Umber", "Willow", "Yarrow", "Thistle", "Clover", "Marrow",
)  # fmt: skip

SURNAME_ENDS: tuple[str, ...] = (
    "whistle", "button", "wick", "bottom", "feather", "dew", "pocket", "kettle", "spoon",
    "lantern", "thimble", "crumb", "puddle", "sprocket", "mitten", "bobbin",
)  # fmt: skip

AGENCIES: tuple[str, ...] = (
    "Kestrelford Locum Services",
    "Harbourline Social Care Staffing",
    "Millbrook Demo Recruitment",
    "Oakfield Social Work Agency",
    "Fernside Interim Partners",
    "Larkspur Care Professionals",
    "Bluebell Locums",
    "Northwind Social Work Resourcing",
)

UNIVERSITIES: tuple[str, ...] = (
    "University of Demoford",
    "Exampleton University",
    "Sampleshire Metropolitan University",
    "Fictionbury University",
    "Kingsmock College London",
    "University of Placeholder Bay",
)
