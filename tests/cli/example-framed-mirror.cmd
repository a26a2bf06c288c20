determine --rules examples/cptpp-excerpt.roo examples/framed-mirror.bom.json
