determine --rules examples/tca-excerpt.roo examples/milk-chocolate.bom.json
