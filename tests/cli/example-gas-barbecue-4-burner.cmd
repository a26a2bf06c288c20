determine --rules examples/tca-excerpt.roo examples/gas-barbecue-4-burner.bom.json
