"""Names and addresses the demo shop's generated customers are made of.
"""
from __future__ import annotations

from typing import Tuple

FIRST_NAMES = (
    "Emma Liam Olivia Noah Ava Ethan Sophia Mason Isabella Lucas Mia Logan Amelia Jackson Harper "
    "Aiden Evelyn Elijah Abigail Carter Emily Daniel Ella Matthew Grace Samuel Chloe David Zoe "
    "Joseph Nora Henry Lily Owen Hannah Wyatt Layla Caleb Riley Nathan Aria Ryan Leah Isaac Maya "
    "Julian Sofia Gabriel Priya Diego Mei Omar Fatima Hiroshi Ana Kwame Ingrid Rafael Yuki"
).split()


LAST_NAMES = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez "
    "Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores "
    "Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Patel Kim Chen Singh "
    "Novak Larsen Okafor Tanaka Silva Kowalski Murphy"
).split()


STREETS = (
    "Main St", "Oak Ave", "Maple St", "Cedar Ln", "Pine St", "Elm St", "Washington Ave", "Lake St",
    "Hill Rd", "Park Ave", "2nd St", "3rd Ave", "Broadway", "Sunset Blvd", "River Rd",
    "Highland Ave", "Church St", "Mill St", "Spring St", "Forest Dr", "Jefferson St",
    "Lincoln Ave", "Madison Ave", "Franklin St", "Willow Way",
)


# (city, state, ZIPs): real ZIPs of each city, so addresses look right in a demo.
CITIES: Tuple[Tuple[str, str, Tuple[str, ...]], ...] = (
    ("Portland", "OR", ("97201", "97209", "97214")), ("Denver", "CO", ("80202", "80205", "80218")),
    ("Boston", "MA", ("02108", "02115", "02116")), ("Atlanta", "GA", ("30303", "30308", "30312")),
    ("Miami", "FL", ("33130", "33131", "33137")), ("Phoenix", "AZ", ("85004", "85006", "85016")),
    ("Minneapolis", "MN", ("55401", "55405", "55408")),
    ("Nashville", "TN", ("37203", "37206", "37209")),
    ("Philadelphia", "PA", ("19103", "19106", "19147")),
    ("San Diego", "CA", ("92101", "92103", "92116")),
    ("Los Angeles", "CA", ("90012", "90026", "90034")),
    ("Houston", "TX", ("77002", "77006", "77019")), ("Dallas", "TX", ("75201", "75204", "75214")),
    ("Columbus", "OH", ("43201", "43206", "43215")),
    ("Charlotte", "NC", ("28202", "28203", "28205")),
    ("Raleigh", "NC", ("27601", "27603", "27608")),
    ("Salt Lake City", "UT", ("84101", "84102", "84105")),
    ("Kansas City", "MO", ("64105", "64108", "64111")),
    ("Pittsburgh", "PA", ("15206", "15213", "15222")),
    ("Baltimore", "MD", ("21201", "21202", "21230")),
    ("Madison", "WI", ("53703", "53704", "53711")),
    ("New Orleans", "LA", ("70112", "70115", "70130")),
    ("Sacramento", "CA", ("95811", "95814", "95816")),
    ("Tampa", "FL", ("33602", "33606", "33629")), ("Detroit", "MI", ("48201", "48207", "48226")),
    ("Richmond", "VA", ("23219", "23220", "23221")), ("Burlington", "VT", ("05401", "05408")),
    ("Boise", "ID", ("83702", "83706")), ("San Francisco", "CA", ("94103", "94110", "94117")),
    ("New York", "NY", ("10002", "10011", "10025")), ("Chicago", "IL", ("60607", "60622", "60657")),
    ("Seattle", "WA", ("98103", "98109", "98122")), ("Austin", "TX", ("78701", "78704", "78745")),
)
