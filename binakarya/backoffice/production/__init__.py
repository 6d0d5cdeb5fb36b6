"""Back office pages for production lots: recording a lot, its page, hang tags, stock adjustments and reversals."""
