check tests/cli/folder-agreement
