"""Changing a row the way every app's services do."""


def save_fields(record, *already_set, **values):
    """Set `values` on the record and save only those fields (and `already_set`, changed
    before): a change made meanwhile to the row's other fields is not overwritten."""
    for name, value in values.items():
        setattr(record, name, value)
    record.save(update_fields=[*already_set, *values])
