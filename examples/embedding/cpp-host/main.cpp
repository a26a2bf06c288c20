// A C++ host of roo: loads an agreement, determines a BOM file, and prints the
// determination as roo-determination/1 JSON on one line (a JSON Lines file
// gives a JSON array of determinations, in input order).
//
//   cpp-host AGREEMENT BOM       AGREEMENT: a .roo file or a folder with main.roo;
//                                BOM: .json, .jsonl / .ndjson or .csv
//
// Exit status: 0 every BOM got a verdict or an undetermined result, 1 some got
// an error result, 2 the rules cannot be used or the arguments are wrong.
#include <roo/roo.hpp>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: cpp-host AGREEMENT BOM\n";
    return 2;
  }
  roo::LoadResult loaded = roo::Agreement::load(argv[1]);
  for (const roo::Diagnostic& d : loaded.diagnostics) std::cerr << roo::format_diagnostic(d);
  if (!loaded.agreement) return 2;
  const roo::Agreement& agreement = *loaded.agreement;

  // Date, destination and explanation: the BOM's own, and the full tree.
  roo::DetermineOptions options;
  std::vector<std::string> outputs;
  bool any_error = false;
  roo::read_bom_file(argv[2], {}, [&](roo::BomInput&& input) {
    roo::Determination d = agreement.determine(input, options);
    any_error = any_error || d.status == roo::Status::error;
    outputs.push_back(roo::render(d, roo::Format::json, options.explain));
  });

  bool lines = roo::bom_format_for_path(argv[2]) == roo::BomFormat::json_lines;
  std::string out = lines ? "[" : "";
  for (std::size_t i = 0; i < outputs.size(); ++i) out += (i ? "," : "") + outputs[i];
  if (lines) out += "]";
  std::cout << out << '\n';
  return any_error ? 1 : 0;
}
