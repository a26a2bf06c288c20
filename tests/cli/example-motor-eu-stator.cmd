determine --rules examples/tca-excerpt.roo examples/motor-eu-stator.bom.json
