determine --rules examples/tca-excerpt.roo examples/office-chair.bom.json
