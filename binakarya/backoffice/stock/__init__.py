"""Back office pages for stock: balances, aging, stock counts (opname), locations and transfers."""
