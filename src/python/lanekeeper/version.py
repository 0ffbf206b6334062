"""lanekeeper's version: the one place it is written. The `lanekeeper-pants` wheel takes it
(pants-plugins/lanekeeper_release sets the distribution's version from it), and every report
and SARIF log names it."""

VERSION = "0.1.0"
