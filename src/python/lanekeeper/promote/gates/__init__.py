"""One module per gate of a promotion (or per gates that share their evidence): each takes plain
data that the plugin gathered and returns `GateResult`s."""
