"""What reports add to the portal's cross-cutting work (toolkit_portal/hooks.py): the report
files in the data inventory."""

from toolkit_portal import hooks

from .inventory import INVENTORY, RETENTION

hooks.data_inventory.register(INVENTORY)
hooks.retention_texts.register(RETENTION)
