"""The deals table's data sources: the first page in memory and the database's keyset pages."""
