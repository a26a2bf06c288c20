determine --rules examples/tca-excerpt.roo examples/gas-barbecue.bom.json
