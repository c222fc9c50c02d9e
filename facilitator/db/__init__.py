"""Database plumbing under the rules: loading rows without the ORM's loader, statements on
the driver's cursor, how long a commit waits for the disk, and group commit.
"""
