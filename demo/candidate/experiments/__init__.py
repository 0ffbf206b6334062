"""Scratch experiments of the candidate lane; production code never imports them."""
