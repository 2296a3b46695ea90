"""Writes the demo corpus: invented articles about invented people, organisations and outlets."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLES = [
    {
        "id": "ledger-2024-03-07-water", "outlet": "The Marren Ledger", "published": "2024-03-07",
        "url": "https://ledger.example/2024/03/07/water-rationing",
        "title": "Water authority rules out rationing this summer", "author": "Ruth Adeyemi",
        "text": (
            "The Coastal Water Authority will not ration water this summer, its director said, "
            "despite the driest winter in a decade.\n"
            "“Our reservoirs are at seventy percent and we have no plans to ration water this "
            "summer,” Coastal Water Authority director Elena Varga said Wednesday at a news "
            "conference in Marren.\n"
            "Varga said that the authority would spend 40 million crowns on repairing leaking "
            "pipes before July.\n"
            "“Every litre we lose underground is a litre a family does not get. Fixing the pipes "
            "is cheaper than building a new dam,” the director added.\n"
            "Opposition councillor Hana Ilves warned of “a summer of empty taps” if the repairs "
            "fall behind schedule."
        ),
    },
    {
        "id": "courier-2024-03-09-water", "outlet": "Riverside Courier",
        "published": "2024-03-09", "url": "https://courier.example/news/varga-no-rationing",
        "title": "No rationing, says Varga", "author": "Malik Osei",
        "text": (
            "Residents of the Riverside district need not fear dry taps, the head of the regional "
            "water utility said this week.\n"
            "“Our reservoirs are at seventy percent and we have no plans to ration water this "
            "summer,” Elena Varga told reporters on March 6, according to the utility’s "
            "transcript.\n"
            "Farmers in the valley remain sceptical. Orchard owner Bruno Salas said his wells "
            "had already dropped by two metres."
        ),
    },
    {
        "id": "post-2024-04-12-rail", "outlet": "Valdoria Evening Post", "published": "2024-04-12",
        "url": "https://eveningpost.example/rail-strike-talks",
        "title": "Rail union and ministry resume talks", "author": "Sofia Lindqvist",
        "text": (
            "Talks between the Northern Rail Union and the transport ministry resumed on "
            "Thursday after a two-week pause.\n"
            "\"We are not asking for miracles,\" union leader Ines Okafor said. \"We are asking "
            "for the overtime that our members have already worked.\"\n"
            "Transport Minister Tomas Brenner said the government had offered a four percent "
            "rise and that the offer remained on the table.\n"
            "He added that a strike during the spring holidays would hurt families more than "
            "the ministry.\n"
            "Okafor, who has led the union since 2019, quipped that the minister “has discovered "
            "families very late in the negotiations.”"
        ),
    },
    {
        "id": "northwire-2024-04-15-bank", "outlet": "Valdoria Evening Post",
        "published": "2024-04-15", "url": "https://eveningpost.example/bank-rates",
        "title": "Central bank holds rates", "author": None,
        "text": (
            "The Bank of Valdoria kept its main interest rate at 3.5 percent on Monday.\n"
            "“Inflation is falling, but it is falling slowly, and we will not cut rates before "
            "we see it below three percent for two quarters in a row,” Governor Jonas Mertens "
            "said on Monday, Northwire reported.\n"
            "The governor said that household debt had reached a record share of income.\n"
            "Economists at Halden Bank expect a first cut in the autumn."
        ),
    },
    {
        "id": "ledger-2024-05-02-harbour", "outlet": "The Marren Ledger", "published": "2024-05-02",
        "url": "https://ledger.example/2024/05/02/harbour-study",
        "title": "Harbour silt study raises alarm", "author": "Ruth Adeyemi",
        "text": (
            "A study by the Institute for Harbour Studies found that silt in Marren harbour has "
            "doubled since 2010.\n"
            "“The harbour is filling up faster than anyone predicted. If nothing is done, large "
            "ships will not be able to dock within fifteen years,” said Dr. Amira Castell, who "
            "led the study.\n"
            "Castell said the main cause was the loss of wetlands upstream.\n"
            "Mayor Pavel Sorensen said the city would ask the government for dredging funds.\n"
            "“We cannot dredge our way out of this forever,” the mayor said. “We need the "
            "wetlands back.”"
        ),
    },
    {
        "id": "halden-2024-05-20-wetlands", "outlet": "Riverside Courier",
        "published": "2024-05-20", "url": "https://courier.example/news/wetlands-plan",
        "title": "Wetlands plan unveiled", "author": "Malik Osei",
        "text": (
            "The environment ministry unveiled a plan to restore 2,000 hectares of wetlands "
            "along the Marren river.\n"
            "“This is the largest restoration project in the country’s history,” Halden Press "
            "Agency quoted Environment Minister Clara Vos as saying.\n"
            "According to the ministry, the first areas will be flooded again next spring.\n"
            "Some landowners objected. “Nobody asked us,” said farmer Olaf Brandt."
        ),
    },
    {
        "id": "post-2024-06-03-budget", "outlet": "Valdoria Evening Post",
        "published": "2024-06-03",
        "url": "https://eveningpost.example/budget-debate",
        "title": "Budget debate turns to schools", "author": "Sofia Lindqvist",
        "text": (
            "Finance Minister Leo Marchetti defended the draft budget in parliament on Friday.\n"
            "“This budget puts schools first,” Marchetti said. “Every school will get a new "
            "science laboratory by 2027.\n"
            "“We will pay for it by closing tax loopholes, not by raising taxes on working "
            "families.”\n"
            "Hana Ilves, the opposition’s budget spokesperson, said the figures did not add up.\n"
            "The spokesperson said that the plan relied on revenue that had never been "
            "collected in any previous year."
        ),
    },
    {
        "id": "courier-2024-06-10-hospital", "outlet": "Riverside Courier",
        "published": "2024-06-10", "url": "https://courier.example/news/hospital-wing",
        "title": "New hospital wing opens", "author": "Malik Osei",
        "text": (
            "A new children’s wing opened at Riverside General Hospital on Saturday.\n"
            "Chief physician Dr. Nadia Petrov said the wing would cut waiting times for "
            "children’s surgery by half.\n"
            "“For the first time, parents can stay overnight next to their child,” she said.\n"
            "And from health board chair Marcus Lund:\n"
            "“We built this wing in eighteen months and on budget.”\n"
            "The hospital said that it would hire 60 additional nurses this year."
        ),
    },
    {
        "id": "ledger-2024-06-20-ferry", "outlet": "The Marren Ledger", "published": "2024-06-20",
        "url": "https://ledger.example/2024/06/20/ferry-fares",
        "title": "Ferry fares to rise", "author": "Ruth Adeyemi",
        "text": (
            "Fares on the Marren–Holm ferry will rise by twelve percent from August.\n"
            "“Fuel costs have doubled in two years and we can no longer absorb them” — Astrid "
            "Kowalski, chief executive of Holm Ferries.\n"
            "Island residents tweeted their anger. Council member Erik Dahl sighed that the "
            "islanders “always pay first and pay most.”\n"
            "Kowalski said yesterday that season tickets for residents would not change."
        ),
    },
    {
        "id": "post-2024-07-08-floods", "outlet": "Valdoria Evening Post",
        "published": "2024-07-08",
        "url": "https://eveningpost.example/floods-warning",
        "title": "Forecasters warn of floods", "author": None,
        "text": (
            "The national weather service warned of heavy rain across the south this week.\n"
            "“Rivers in the south could burst their banks by Wednesday,” the service’s chief "
            "forecaster Ingrid Haas said on Sunday.\n"
            "Haas said that emergency teams had been placed on standby in six towns.\n"
            "“People living near rivers should move valuables upstairs now,” she said, adding "
            "that sandbags would be handed out free of charge."
        ),
    },
    {
        "id": "courier-2024-07-15-library", "outlet": "Riverside Courier",
        "published": "2024-07-15", "url": "https://courier.example/news/library-hours",
        "title": "Library extends opening hours", "author": "Malik Osei",
        "text": (
            "The Riverside public library will open on Sundays from September.\n"
            "“Libraries are the last free indoor space in most towns,” chief librarian Yusuf "
            "Demir said on July 12. “Opening on Sundays is the least we can do.”\n"
            "Demir said the extra hours would be paid for by a grant from the Halden "
            "Foundation."
        ),
    },
    {
        "id": "ledger-2024-08-01-union", "outlet": "The Marren Ledger", "published": "2024-08-01",
        "url": "https://ledger.example/2024/08/01/rail-deal",
        "title": "Rail union accepts deal", "author": "Ruth Adeyemi",
        "text": (
            "The Northern Rail Union accepted a five percent pay rise on Wednesday, ending "
            "months of dispute.\n"
            "Union leader Ines Okafor said the deal was “a fair result for people who kept the "
            "trains running.”\n"
            "“We are not asking for miracles. We are asking for the overtime that our members "
            "have already worked,” Okafor had told members in April, a line the union printed on "
            "its banners.\n"
            "Transport Minister Tomas Brenner said the agreement would be signed on Friday."
        ),
    },
]


def main() -> None:
    out = Path(__file__).with_name("articles.jsonl")
    with out.open("w", encoding="utf-8") as f:
        for a in ARTICLES:
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    print(f"wrote {len(ARTICLES)} articles to {out}")


if __name__ == "__main__":
    main()
