"""Run-time configuration of core: plugin registry and legacy search paths."""
