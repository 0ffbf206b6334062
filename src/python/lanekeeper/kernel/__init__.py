"""What every lanekeeper feature shares: the lane model (`lane_config`), path globs, source text
as Python decodes it, and the baseline ratchet. The kernel imports nothing of the features."""
