"""A small labelled set of recommendations, written for these tests, in three themes."""

from __future__ import annotations

DETENTION = [
    "Ensure that every person deprived of liberty can see a lawyer within hours of arrest.",
    "Improve the material conditions in prisons and reduce overcrowding in pre-trial detention.",
    "Set up an independent body that visits all places of detention without notice.",
    "Investigate every allegation of ill-treatment in police custody and prosecute the culprits.",
    "Limit pre-trial detention to the shortest possible time, reviewed regularly by a judge.",
    "Record every arrest in a central register that families and lawyers can consult.",
    "Provide adequate medical care to detainees, including mental health services.",
    "Separate juvenile detainees from adults in every prison and police station.",
    "Install video recording in interrogation rooms of police stations.",
    "Give the preventive mechanism unrestricted access to immigration detention centres.",
]
EDUCATION = [
    "Guarantee free and compulsory primary education for all children, including in rural areas.",
    "Increase the budget allocated to schools and to the training of qualified teachers.",
    "Remove the fees that keep girls from poor families out of secondary school.",
    "Include human rights education in the curricula of primary and secondary schools.",
    "Ensure that children with disabilities can attend mainstream schools with support.",
    "Reduce the school drop-out rate among children of minority communities.",
    "Build safe school facilities with separate sanitation for girls.",
    "Provide bilingual teaching in the mother tongue of indigenous pupils.",
    "Extend access to vocational training and literacy programmes for adults.",
    "Make university scholarships available to students from low-income households.",
]
MIGRATION = [
    "Protect migrant workers from the confiscation of their passports by employers.",
    "Guarantee access to asylum procedures at every border crossing point.",
    "Train border guards on the rights of migrants and on the principle of non-refoulement.",
    "End the detention of migrant children and find alternatives for families.",
    "Allow migrant domestic workers to change employer without losing their residence permit.",
    "Ensure consular assistance for nationals working abroad who face abuse.",
    "Regularise the status of undocumented migrants who have lived in the country for years.",
    "Give migrant workers equal pay and conditions with nationals under the labour code.",
    "Combat human trafficking along migration routes and protect its victims.",
    "Make sure expulsions of foreigners are decided individually with a right to appeal.",
]

#: Two of them carry two themes.
BOTH = {
    "End the detention of migrant children and find alternatives for families.": ["detention"],
    "Give the preventive mechanism unrestricted access to immigration detention centres.": [
        "migration"
    ],
}

NEW_DETENTION = "Make sure that detainees in police stations are examined by an independent doctor."
NEW_EDUCATION = "Expand early childhood education and pre-school places in every district."
NEW_MIGRATION = "Protect seasonal migrant farm workers from abusive recruitment agencies."


def labelled() -> list[tuple[str, list[str]]]:
    rows = []
    themes = (("detention", DETENTION), ("education", EDUCATION), ("migration", MIGRATION))
    for theme, texts in themes:
        for text in texts:
            rows.append((text, [theme, *BOTH.get(text, [])]))
    return rows
