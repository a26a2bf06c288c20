determine --explain none --rules tests/cli/folder-agreement examples/electric-motor.bom.json
