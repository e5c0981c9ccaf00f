"""The demo's parents, carers and visitors, keyed by a short name the case scripts use."""

from incidents.models import Relationship


def _person(title, full_name, address, pupils, *, salutation="", relationship=Relationship.PARENT, phone="",
            notes="", parts=None, aliases=()):
    """`pupils`, `notes` and `aliases` (name, what it is) are the adding school's; `parts` {school code:
    {"notes", "pupils", "aliases"}} are what a second school records once it names the person in a case (each
    school's part is its own)."""
    surname = full_name.split()[-1].lower()
    first = full_name.split()[0].lower()
    return {
        "title": title, "full_name": full_name, "salutation": salutation, "relationship": relationship,
        "address": address, # 07700 900xxx: Ofcom's numbers for drama, never a real phone.
        "phone": phone or f"07700 900{sum(map(ord, full_name)) % 1000:03d}",
        "email": f"{first}.{surname}@example.com", "notes": notes,
        "pupils": [{"name": name, "year_group": year} for name, year in pupils],
        "aliases": [{"name": name, "note": note} for name, note in aliases],
        "parts": {code: {"notes": part.get("notes", ""),
                         "pupils": [{"name": name, "year_group": year} for name, year in part.get("pupils", ())],
                         "aliases": [{"name": name, "note": note} for name, note in part.get("aliases", ())]}
                  for code, part in (parts or {}).items()},
    }


PEOPLE = {
    # All Saints ---------------------------------------------------------------------------
    "mark_brown": _person("Mr", "Mark Brown", "14 Beaver Road\nAshford\nKent TN23 7RR", [("Amy Brown", "Year 4")]),
    "sarah_green": _person("Mrs", "Sarah Green", "3 Elwick Road\nAshford\nKent TN23 1PF",
                           [("Tom Green", "Year 1")]),
    "paul_white": _person("Mr", "Paul White", "27 Godinton Road\nAshford\nKent TN23 1LJ",
                          [("Lily White", "Year 5")]),
    "gary_field": _person("Mr", "Gary Field", "9 Hythe Road\nWillesborough\nAshford\nKent TN24 0QA",
                          [("Ella Field", "Year 2")]),
    "karen_black": _person("Mrs", "Karen Black", "61 Canterbury Road\nKennington\nAshford\nKent TN24 9QD",
                           [("Jack Black", "Year 6")]),
    "steven_grey": _person("Mr", "Steven Grey", "5 Brookfield Road\nAshford\nKent TN23 4EX",
                           [("Mia Grey", "Year 3")]),
    "lisa_stone": _person("Ms", "Lisa Stone", "18 Queens Road\nAshford\nKent TN24 8HF", [("Noah Stone", "Year 4")]),
    "darren_cole": _person("Mr", "Darren Cole", "40 Kingsnorth Road\nAshford\nKent TN23 6HY",
                           [("Riley Cole", "Year 5")]),
    "michelle_grant": _person("Mrs", "Michelle Grant", "2 Bybrook Road\nKennington\nAshford\nKent TN24 9JD",
                              [("Harry Grant", "Reception")]),
    "jason_reid": _person(
        "Mr", "Jason Reid", "12 Sussex Avenue\nAshford\nKent TN24 8NB",
        [("Ava Reid", "Year 5")],
        notes="Ava's dinner account: a payment plan agreed with the office.",
        aliases=[("Jase Reid", "what he signs his emails")],
        parts={"asp": {"pupils": [("Kai Reid", "Year 2")], "notes": "Kai's sister Ava is at St Mary's.",
                       "aliases": [("JR Groundworks", "Facebook: the business page that posted about staff")]}},
    ),
    "joanne_pike": _person("Ms", "Joanne Pike", "7 Romney Marsh Road\nAshford\nKent TN23 3DP",
                           [("Ruby Pike", "Year 3")]),
    "lee_dawson": _person("Mr", "Lee Dawson", "33 Beaver Lane\nAshford\nKent TN23 5NU", [("Leo Dawson", "Year 6")]),
    "kelly_marsh": _person("Mrs", "Kelly Marsh", "21 Sandyhurst Lane\nAshford\nKent TN25 4NS",
                           [("Evie Marsh", "Year 1")]),
    "wayne_booth": _person("Mr", "Wayne Booth", "8 Norman Road\nAshford\nKent TN23 7BL",
                           [("Oscar Booth", "Year 4")]),
    "dean_shaw": _person("Mr", "Dean Shaw", "4 Mill Court\nAshford\nKent TN24 8DN", [("Callum Shaw", "Year 6")],
                         aliases=[("Deano Shaw", "what the other parents call him")]),
    "rachel_finch": _person("Ms", "Rachel Finch", "16 Albemarle Road\nAshford\nKent TN24 8PX",
                            [("Isla Finch", "Year 2")]),
    "tony_wells": _person("Mr", "Tony Wells", "50 Faversham Road\nKennington\nAshford\nKent TN24 9AE",
                          [("Freddie Wells", "Year 6")]),
    "neil_ford": _person("Mr", "Neil Ford", "4 Mill Court\nAshford\nKent TN24 8DN", [("Alfie Ford", "Year 3")]),
    "sam_taylor": _person("Mx", "Sam Taylor", "29 Church Road\nWillesborough\nAshford\nKent TN24 0JT",
                          [("Rosie Taylor", "Year 5")], relationship=Relationship.CARER),
    "peter_lomax": _person("Mr", "Peter Lomax", "1 The Street\nGreat Chart\nAshford\nKent TN23 3AT",
                           [("Max Lomax", "Year 4")], salutation="Mr and Mrs Lomax",
                           notes="Letters go to both parents, at their request."),
    "jordan_kay": _person("", "Jordan Kay", "Flat 3, 88 High Street\nAshford\nKent TN24 8SE",
                          [("Charlie Kay", "Year 1")]),
    "imran_shah": _person("Dr", "Imran Shah", "11 Magazine Road\nAshford\nKent TN24 8NR", [("Zara Shah", "Year 6")]),
    "chloe_adams": _person("Miss", "Chloe Adams", "6 Chart Road\nAshford\nKent TN23 3HP",
                           [("Mason Adams", "Reception")]),
    "amanda_clarke": _person("Mrs", "Amanda Clarke", "45 Willesborough Road\nKennington\nAshford\nKent TN24 9QS",
                             [("Sophie Clarke", "Year 3")]),
    "ryan_hughes": _person("Mr", "Ryan Hughes", "19 Maidstone Road\nAshford\nKent TN25 4NQ",
                           [("Ethan Hughes", "Year 5")]),
    "brian_moss": _person("Mr", "Brian Moss", "The Old Forge\nHothfield\nAshford\nKent TN26 1EN", [],
                          relationship=Relationship.VISITOR, notes="Delivery driver for the catering supplier."),
    "helen_price": _person("Mrs", "Helen Price", "72 Park Road\nAshford\nKent TN24 8DX", [("Daisy Price", "Year 2")]),
    # St Mary's ----------------------------------------------------------------------------
    "nina_jones": _person("Ms", "Nina Jones", "10 High Street\nAshford\nKent TN24 8TD", [("Leo Jones", "Year 4")]),
    "tom_baker": _person("Mr", "Tom Baker", "23 Mill Road\nAshford\nKent TN24 2BC", [("Lucy Baker", "Year 2")]),
    "fiona_walsh": _person("Mrs", "Fiona Walsh", "5 Station Road\nAshford\nKent TN24 2AA",
                           [("Ben Walsh", "Year 6")]),
    "gareth_evans": _person("Mr", "Gareth Evans", "31 Mill Road\nAshford\nKent TN24 2BD",
                            [("Megan Evans", "Year 1")]),
    "priya_patel": _person("Dr", "Priya Patel", "2 Orchard Close\nAshford\nKent TN24 2CE",
                           [("Arjun Patel", "Year 5")]),
    "kevin_doyle": _person("Mr", "Kevin Doyle", "17 Chalk Lane\nAshford\nKent TN24 2DF", [("Finn Doyle", "Year 3")]),
    "laura_hill": _person("Miss", "Laura Hill", "9 Chalk Lane\nAshford\nKent TN24 2DG",
                          [("Poppy Hill", "Reception")]),
    "marcus_king": _person("Mr", "Marcus King", "40 Bridge Street\nAshford\nKent TN24 2EH",
                           [("Tyler King", "Year 4")]),
    "sue_carter": _person("Mrs", "Sue Carter", "3 Bridge Street\nAshford\nKent TN24 2EJ", [("Grace Carter", "Year 6")],
                          relationship=Relationship.CARER, notes="Grandmother and carer."),
    "alex_morgan": _person("", "Alex Morgan", "12 Forge Lane\nAshford\nKent TN24 2FK", [("Jamie Morgan", "Year 2")]),
    "dean_harris": _person("Mr", "Dean Harris", "8 Forge Lane\nAshford\nKent TN24 2FL", [("Oliver Harris", "Year 5")]),
    "emma_wood": _person("Mrs", "Emma Wood", "27 Church Walk\nAshford\nKent TN24 2GM", [("Amelia Wood", "Year 3")]),
    "craig_foster": _person("Mr", "Craig Foster", "55 Church Walk\nAshford\nKent TN24 2GN",
                            [("Jacob Foster", "Year 1")]),
}
