"""The lukhas service facade, its plugin loader and its exporters."""
