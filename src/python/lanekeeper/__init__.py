"""Lane policy for a monorepo: which lane owns a path, what it may import, where it promotes."""
