"""The rules that gather each gate's evidence from Pants, one module per group of gates. Each is a
member of the `PromoteGatesRequest` union, so the goal runs whichever gates are registered."""
