"""The assessment app's models in the data inventory (toolkit_portal/data_inventory.py explains
the entries; portal_hooks.py registers them)."""

from toolkit_portal.data_inventory import entry, no_personal_data

RETENTION = {
    "assessment": "as long as the partnership keeps the assessment round",
}

INVENTORY = {
    "assessment.InstrumentVersion": no_personal_data(
        "id", "number", "title", "title_es", "published_on", "is_current", "notes"
    ),
    "assessment.Item": no_personal_data(
        "id",
        "version",
        "code",
        "position",
        "key_area",
        "principle",
        "four_r",
        "statement_en",
        "statement_es",
    ),
    "assessment.AssessmentRound": entry(
        "assessment",
        {
            "opened_by": "Which coordinator opened the round",
            "closed_by": "Which coordinator closed the round",
        },
        [
            "id",
            "partnership",
            "version",
            "title",
            "closes_on",
            "opened_at",
            "closed_at",
            "engagement",
        ],
    ),
    "assessment.Rater": entry(
        "assessment",
        {
            "user": "Who rates the partnership",
            "participation_request": "A consultant rater's paid participation request",
        },
        ["id", "round", "kind", "invited_at"],
    ),
    "assessment.Answer": entry(
        "assessment",
        {"comment": "The rater's comment, in their words"},
        ["id", "rater", "item", "level", "updated_at"],
    ),
    "assessment.Priority": entry(
        "assessment",
        {"created_by": "Which coordinator chose the priority"},
        ["id", "round", "key_area", "reason", "goal", "created_at"],
    ),
}
