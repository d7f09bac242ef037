"""What trainings add to the portal's cross-cutting work (toolkit_portal/hooks.py): a
person's training records and growth goals in their data export and erasure, and the
catalog's models in the data inventory."""

from toolkit_portal import hooks

from .inventory import INVENTORY, RETENTION
from .services import erase_person_data, export_person_data

hooks.data_inventory.register(INVENTORY)
hooks.retention_texts.register(RETENTION)
hooks.person_data_export.register(export_person_data)
hooks.person_data_erasure.register(erase_person_data)
