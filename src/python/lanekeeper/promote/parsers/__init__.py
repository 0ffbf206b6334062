"""The tool outputs the gates read: JUnit XML, LCOV coverage, Pants lockfiles."""
