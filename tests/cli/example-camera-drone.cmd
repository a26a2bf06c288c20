determine --rules rules/cptpp.roo examples/camera-drone.bom.json
