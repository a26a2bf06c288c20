determine --rules rules/cptpp.roo examples/camera-drone-hs2012.bom.json
