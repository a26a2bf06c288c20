rule --rules rules/cptpp.roo 0304.47 8524.91
