determine --explain none --rules tests/cli/agreements examples/electric-motor.bom.json
