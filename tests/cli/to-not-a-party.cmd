determine --to ZZ --rules rules/uk-eu-tca.roo examples/electric-motor.bom.json
