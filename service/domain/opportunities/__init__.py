"""Partner listings, their review, partner vetting and bookings (the JSON API over providers/)."""
