determine --rules examples/cptpp-excerpt.roo examples/exhaust-silencer.bom.json
