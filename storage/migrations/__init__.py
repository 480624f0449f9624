"""Numbered schema migrations, `NNNN_name.sql`, run once each in order on both backends.

Write a migration in SQL that SQLite and PostgreSQL both accept: on PostgreSQL its
`REAL` and `INTEGER` become `DOUBLE PRECISION` and `BIGINT` (8 bytes, as in SQLite).
Where SQLite-only syntax cannot be avoided (FTS5, `WITHOUT ROWID`, trigger bodies, an
`INTEGER PRIMARY KEY` that numbers rows itself), add `NNNN_name.postgres.sql` beside it
with the same number: PostgreSQL runs that file instead (see `storage.database.migrations`).
"""
