"""Storage: the tables, the database handle and its write lock, opening and migrating, running sums, copy."""
