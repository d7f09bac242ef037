"""Local format overrides, looked up before Django's own (FORMAT_MODULE_PATH)."""
