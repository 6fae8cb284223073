"""Skills and occupations: autocomplete, normalisation and occupation profiles (JSON API)."""
