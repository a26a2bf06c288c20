determine --rules examples/cptpp-excerpt.roo examples/ibuprofen-tablets.bom.json
