test tests/cli/outside
