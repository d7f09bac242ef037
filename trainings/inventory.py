"""The trainings app's models in the data inventory (toolkit_portal/data_inventory.py explains
the entries; portal_hooks.py registers them)."""

from toolkit_portal.data_inventory import LINK, entry, no_personal_data

from . import csv_io

RETENTION = {
    "own_records": "until the person deletes it or erases their data",
    "catalog": "as long as the training is in the catalog",
}

INVENTORY = {
    "trainings.Provider": no_personal_data("id", "name", "website", "description", "created_at"),
    "trainings.Training": entry(
        "catalog",
        {"suggested_by": "Who suggested the training, told when it is published"},
        # What the catalog's CSV holds is public; the provider's website is the provider's.
        [
            "id",
            *(name for name in csv_io.COLUMNS if name != "provider_website"),
            "published_at",
            "created_at",
            "updated_at",
            "search_vector",
        ],
    ),
    "trainings.TrainingRecord": entry(
        "own_records",
        {
            "person": LINK,
            "training": "Which training the person completed",
            "completed_on": "When the person completed it",
            "hours": "The person's training hours",
            "certificate": "The person's certificate file (may show their legal name)",
            "note": "The person's note",
        },
        ["id", "certificate_type", "created_at"],
    ),
    "trainings.Evaluation": entry(
        "own_records",
        {
            "rating": "The person's rating of the training",
            "comment": "The person's comment (shown without a name)",
        },
        ["id", "record", "comment_hidden", "created_at", "updated_at"],
    ),
    "trainings.GrowthGoal": entry(
        "own_records",
        {
            "person": LINK,
            "area": "The consultant's growth goal (rule 8)",
            "topics": "The consultant's growth goal (rule 8)",
            "description": "The consultant's growth goal, in their words",
            "achieved_on": "When the consultant reached it",
        },
        ["id", "created_at"],
    ),
    "trainings.TrainingRequest": entry(
        "partnership",
        {"requested_by": "Which coordinator asked, told of each answer"},
        [
            "id",
            "training",
            "partnership",
            "preferred_from",
            "preferred_until",
            "audience_size",
            "notes",
            "status",
            "scheduled_for",
            "status_changed_at",
            "created_at",
        ],
    ),
}
