"""Experimental lane ``candidate``: code waits here until it is promoted to core."""
