determine --rules examples/tca-excerpt.roo examples/touring-bicycle.bom.json
