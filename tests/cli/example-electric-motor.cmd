determine --rules examples/tca-excerpt.roo examples/electric-motor.bom.json
