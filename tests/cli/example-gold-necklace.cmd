determine --rules examples/cptpp-excerpt.roo examples/gold-necklace.bom.json
