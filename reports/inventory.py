"""The reports app's model in the data inventory (toolkit_portal/data_inventory.py explains the
entries; portal_hooks.py registers them)."""

from toolkit_portal.data_inventory import entry

RETENTION = {
    "report_file": (
        "`RETENTION_REPORT_FILE_DAYS` (30) once finished, the file in storage with the row; "
        "deleted with the requester's account"
    ),
}

INVENTORY = {
    "reports.ReportFile": entry(
        "report_file",
        {"requested_by": "Whose report PDF it is: only they can open it"},
        [
            "id",
            "partnership",
            "period_start",
            "period_end",
            "period_code",
            "language",
            "status",
            "progress",
            "file",
            "error",
            "attempts",
            "attempted_at",
            "created_at",
            "finished_at",
        ],
    ),
}
