"""The benchmark against Stoplight Prism (not part of the test suite; never fails on timings)."""
