"""Back office pages for the catalog: products, variants, photos and producers."""
