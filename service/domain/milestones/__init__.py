"""Financial-independence milestones: the catalogue, her achievements and her timeline."""
