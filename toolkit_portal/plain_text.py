"""Text people typed, made safe for the one-line and line-based formats the portal writes:
email headers (a line break would start a header of its own) and calendar files (a line
break would start a property of its own)."""

import re

# Every character that some reader takes for the end of a line, not only CR and LF.
LINE_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Other control characters (tab is kept: it is ordinary text everywhere we write).
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def without_controls(text):
    """The text with its line breaks as "\\n" and no other control character."""
    return CONTROLS.sub("", LINE_BREAKS.sub("\n", str(text)))


def one_line(text):
    """The text on one line: line breaks, tabs and runs of spaces fold into one space."""
    return " ".join(without_controls(text).split())


def before_stop(text):
    """A name (or list of names) about to be followed by a sentence's full stop, without its
    own final one: "Acme Inc." ends "… of Acme Inc.", never "… of Acme Inc..". An ellipsis
    is left as typed."""
    text = str(text)
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text
