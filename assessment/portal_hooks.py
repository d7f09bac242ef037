"""What the self-assessment adds to the portal's cross-cutting work (toolkit_portal/hooks.py):
a person's answers in their data export, their comments in the erasure, and the assessment's
models in the data inventory."""

from toolkit_portal import hooks

from .inventory import INVENTORY, RETENTION
from .services import erase_assessment_comments, export_assessment_answers

hooks.data_inventory.register(INVENTORY)
hooks.retention_texts.register(RETENTION)
hooks.person_data_export.register(export_assessment_answers)


@hooks.person_data_erasure.register
def erase_assessment_data(*, person, actor):
    erase_assessment_comments(person)
