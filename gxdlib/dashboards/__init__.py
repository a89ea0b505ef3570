"""Panel dashboard pages: one Viewer class per page, served by the thin files in ``apps/``."""
