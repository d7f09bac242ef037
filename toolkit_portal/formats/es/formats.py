# Spanish as written in the United States: the portal's amounts are US dollars, and its
# Spanish-speaking readers know them as $1,234.50. Dates keep Django's Spanish formats.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
