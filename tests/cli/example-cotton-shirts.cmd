determine --rules examples/tca-excerpt.roo examples/cotton-shirts.bom.jsonl
