"""TodoRepository on PostgreSQL (Neon in production): SQLModel tables, Alembic migrations,
one statement per operation."""
