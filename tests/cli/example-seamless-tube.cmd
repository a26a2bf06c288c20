determine --rules examples/tca-excerpt.roo examples/seamless-tube.bom.json
