"""Back office pages for sales: the list, recording a sale, a sale's page, and returns."""
