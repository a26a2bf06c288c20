diff --nomenclature data/hs/harmonized-system.csv tests/cli/diff/before.roo tests/cli/diff/after.roo
