determine --rules examples/non-preferential.roo examples/transformer-non-preferential.bom.json
