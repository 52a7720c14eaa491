"""The `carecheck` command line (placeholder until the run command lands)."""


def main() -> int:
    return 0
