rule --rules examples/tca-excerpt.roo 8501.52
