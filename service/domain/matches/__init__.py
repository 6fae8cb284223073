"""Matching in the service: survivors' ranked suggestions and coordinators' allocation rounds."""
