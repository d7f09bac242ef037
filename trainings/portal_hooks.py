"""What trainings add to the portal's cross-cutting work (toolkit_portal/hooks.py): a
person's training records and growth goals in their data export and erasure, the
catalog's models in the data inventory, and a panel on a partnership's page."""

from toolkit_portal import hooks

from .inventory import INVENTORY, RETENTION
from .services import erase_person_data, export_person_data, training_share_for_partnership

hooks.data_inventory.register(INVENTORY)
hooks.retention_texts.register(RETENTION)
hooks.person_data_export.register(export_person_data)
hooks.person_data_erasure.register(erase_person_data)


@hooks.panel("partnership_detail.coordinators", "trainings/_partnership_training_share.html")
def training_share(request, *, partnership):
    """Who among the partnership's people has a recent trauma-informed training."""
    return {"share": training_share_for_partnership(partnership)}
