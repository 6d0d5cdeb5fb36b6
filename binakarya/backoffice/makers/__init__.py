"""Back office pages for makers, groups, memberships and group profiles."""
