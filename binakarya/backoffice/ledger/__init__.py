"""Back office pages for the money: split rules, makers' premi and payouts, capital funds, PNBP, trial balance."""
