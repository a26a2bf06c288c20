determine --rules examples/tca-excerpt.roo examples/bicycle.bom.csv
