// bench_generate SEED N OUTDIR: a seeded, realistic workload for the benchmark.
//
//   OUTDIR/rules.roo    an agreement with about 1,200 heading-level rules that
//                       mix CTH, CTSH and CC, with exception ranges and MaxNOM
//                       alternatives; 10% tolerance of the ex-works price;
//                       the insufficient operations of the stdlib.
//   OUTDIR/boms.jsonl   N BOMs (roo-bom/1), one a line: 5 to 80 materials
//                       (median 25), HS codes from the rules' chapters, values
//                       with two decimals, a mix of originating and
//                       non-originating materials. About 8% of the products
//                       are built to sit exactly on a threshold (MaxNOM limit,
//                       or the tolerance limit) or one cent past it.
//
// The same SEED and N give byte-identical files.
//
// bench_generate scale materials|keys|rules N OUTDIR: the workloads of
// bench/scaling.sh, OUTDIR/rules.roo and OUTDIR/bom.json, where one dimension
// has size N (materials in the BOM, attribute keys of the product, or bytes of
// rules source) and the others stay small.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bench/workload.hpp"

namespace {

using roo::bench::cents_text;
using roo::bench::heading_text;
using roo::bench::Rng;
using roo::bench::Shift;

struct RuleSpec {
  int heading = 0;
  Shift shift = Shift::none;
  int exc_lo = 0, exc_hi = 0;  // exception range of headings (0: none)
  int maxnom = 0;              // MaxNOM alternative, in percent (0: none)
};

struct World {
  std::vector<std::vector<int>> headings;  // by chapter (index 0..97): heading numbers
  std::vector<RuleSpec> rules;
  std::vector<int> rule_of_heading = std::vector<int>(10000, -1);
  std::vector<int> with_maxnom, with_shift;  // rule indices
  std::vector<int> chapters;                 // chapters that have headings
};

const char* const material_words[] = {
    "steel bracket",     "copper wire",      "ball bearing",        "printed circuit board", "plastic housing",
    "aluminium casting", "rubber gasket",    "glass panel",         "cotton fabric",         "polyester yarn",
    "leather trim",      "wooden frame",     "ceramic insulator",   "lithium cell",          "electric motor",
    "hydraulic valve",   "fastener set",     "paint, epoxy",        "adhesive",              "cardboard carton",
    "silicon wafer",     "optical lens",     "stainless tube",      "brass fitting",         "nylon strap",
    "sugar",             "cocoa powder",     "milk powder",         "wheat flour",           "vegetable oil",
    "zinc die-cast part", "control unit",    "wiring harness",      "heat sink",             "LED module"};
const char* const product_words[] = {"industrial pump",   "electric motor",   "office chair",  "bicycle",
                                     "kitchen appliance", "power tool",       "garment",       "confectionery",
                                     "laboratory instrument", "loudspeaker", "steel structure", "toy"};
const char* const non_originating_origins[] = {"CN", "US", "JP", "IN", "TR", "VN", "KR", "CH", "MX", "BR", "TW", "TH"};
const char* const originating_origins[] = {"GB", "GB", "GB", "DE", "FR", "IT", "NL", "PL", "ES", "IE"};
const char* const process_sets[] = {R"(["assembly","testing"])", R"(["cutting","assembly"])",
                                    R"(["mixing_and_blending"])", R"(["assembly"])",
                                    R"(["cutting","sewing","making_up"])"};

template <typename T, std::size_t N>
const T& pick(Rng& rng, const T (&list)[N]) {
  return list[rng.below(N)];
}

World make_world(Rng& rng) {
  World w;
  w.headings.resize(98);
  for (int ch = 1; ch <= 97; ++ch) {
    if (ch == 77) continue;  // reserved
    int count = static_cast<int>(rng.range(6, 19));  // about 12.5 a chapter: ~1,200 in all
    for (int h = 1; h <= count; ++h) w.headings[ch].push_back(ch * 100 + h);
    w.chapters.push_back(ch);
  }
  auto random_range_in = [&](int ch, int avoid, int& lo, int& hi) {
    const auto& hs = w.headings[ch];
    for (int tries = 0; tries < 20; ++tries) {
      std::size_t a = rng.below(hs.size());
      std::size_t len = static_cast<std::size_t>(rng.range(0, 3));
      std::size_t b = std::min(hs.size() - 1, a + len);
      if (avoid >= hs[a] && avoid <= hs[b]) continue;
      lo = hs[a];
      hi = hs[b];
      return true;
    }
    return false;
  };
  static const int maxnom_limits[] = {40, 45, 50, 50, 50};
  for (int ch : w.chapters) {
    for (int h : w.headings[ch]) {
      RuleSpec r;
      r.heading = h;
      std::uint64_t k = rng.below(100);
      // 25 CTH or maxnom; 15 CTH; 10 CTH except; 10 CTH except or maxnom; 10 CTSH or maxnom;
      // 8 CTSH except; 7 CC; 8 CC except or maxnom; 7 maxnom alone.
      bool except = false;
      if (k < 25) r.shift = Shift::cth, r.maxnom = 1;
      else if (k < 40) r.shift = Shift::cth;
      else if (k < 50) r.shift = Shift::cth, except = true;
      else if (k < 60) r.shift = Shift::cth, except = true, r.maxnom = 1;
      else if (k < 70) r.shift = Shift::ctsh, r.maxnom = 1;
      else if (k < 78) r.shift = Shift::ctsh, except = true;
      else if (k < 85) r.shift = Shift::cc;
      else if (k < 93) r.shift = Shift::cc, except = true, r.maxnom = 1;
      else r.maxnom = 1;
      if (r.maxnom) r.maxnom = maxnom_limits[rng.below(5)];
      if (except) {
        // CTH/CTSH: usually other headings of the same chapter; CC: another chapter.
        int other = ch;
        if (r.shift == Shift::cc || rng.chance(1, 3)) {
          do other = w.chapters[rng.below(w.chapters.size())];
          while (other == ch);
        }
        if (!random_range_in(other, h, r.exc_lo, r.exc_hi)) r.exc_lo = r.exc_hi = 0;
      }
      w.rule_of_heading[h] = static_cast<int>(w.rules.size());
      if (r.maxnom) w.with_maxnom.push_back(static_cast<int>(w.rules.size()));
      if (r.shift != Shift::none) w.with_shift.push_back(static_cast<int>(w.rules.size()));
      w.rules.push_back(r);
    }
  }
  return w;
}

std::string rule_body(const RuleSpec& r) {
  std::string out;
  if (r.shift != Shift::none) {
    out = r.shift == Shift::cc ? "CC" : r.shift == Shift::cth ? "CTH" : "CTSH";
    if (r.exc_lo) {
      if (r.exc_lo == r.exc_hi) out += " except heading " + heading_text(r.exc_lo);
      else out += " except headings " + heading_text(r.exc_lo) + ".." + heading_text(r.exc_hi);
    }
  }
  if (r.maxnom) {
    if (!out.empty()) out += " or ";
    out += "maxnom(" + std::to_string(r.maxnom) + "%)";
  }
  return out;
}

std::string rules_text(const World& w, std::uint64_t seed) {
  std::string out;
  out += "// Generated by bench_generate (seed " + std::to_string(seed) + "): a synthetic agreement for the benchmark.\n";
  out += "import std\n\n";
  out += "agreement \"Benchmark agreement (generated)\" {\n";
  out += "  citation     \"Annex B\"\n";
  out += "  hs           2022\n";
  out += "  parties      GB, EU\n";
  out += "  basis        ex_works\n";
  out += "  tolerance    10% of ex_works\n";
  out += "  insufficient std.minimal_operations\n\n";
  for (const auto& r : w.rules) out += "  heading " + heading_text(r.heading) + ": " + rule_body(r) + "\n";
  out += "}\n";
  return out;
}

struct Mat {
  int heading = 0;
  int sub = 0;  // the two subheading digits
  std::int64_t cents = 0;
  bool originating = false;
  bool packing = false;
};

class ProductMaker {
 public:
  ProductMaker(Rng& rng, const World& w) : rng_(rng), w_(w) {}

  int material_count() {
    // Half uniform in 5..24, half in 25..80 skewed low: the median is 25.
    if (rng_.chance(1, 2)) return static_cast<int>(rng_.range(5, 24));
    std::int64_t a = rng_.range(0, 55), b = rng_.range(0, 55);
    return static_cast<int>(25 + a * b / 55);
  }

  std::int64_t material_value() { return rng_.range(50, 2000) * rng_.range(1, 50); }  // 0.50 .. 1000.00, skewed low

  int sub() { return static_cast<int>(rng_.range(1, 9) * 10 + rng_.range(0, 9)); }

  bool in_exception(const RuleSpec& r, int heading) const {
    return r.exc_lo && heading >= r.exc_lo && heading <= r.exc_hi;
  }

  // A code in another chapter, outside the rule's exceptions: passes every shift.
  Mat clean(const RuleSpec& r, int product_heading) {
    Mat m;
    int ch = product_heading / 100;
    while (true) {
      int other = w_.chapters[rng_.below(w_.chapters.size())];
      if (other == ch) continue;
      const auto& hs = w_.headings[other];
      int h = hs[rng_.below(hs.size())];
      if (in_exception(r, h)) continue;
      m.heading = h;
      m.sub = sub();
      return m;
    }
  }
  // A code that fails any shift: the product's own subheading, or an excepted heading.
  Mat problem(const RuleSpec& r, int product_heading, int product_sub) {
    Mat m;
    if (r.exc_lo && rng_.chance(1, 2)) {
      m.heading = static_cast<int>(rng_.range(r.exc_lo, r.exc_hi));
      m.sub = sub();
    } else {
      m.heading = product_heading;
      m.sub = product_sub;
    }
    return m;
  }
  // Close to the product: same subheading, same heading, same chapter, or excepted.
  Mat near(const RuleSpec& r, int product_heading, int product_sub) {
    Mat m;
    int ch = product_heading / 100;
    switch (rng_.below(4)) {
      case 0: return problem(r, product_heading, product_sub);
      case 1:
        m.heading = product_heading;
        m.sub = sub();
        return m;
      case 2: {
        const auto& hs = w_.headings[ch];
        m.heading = hs[rng_.below(hs.size())];
        m.sub = sub();
        return m;
      }
      default:
        if (r.exc_lo) {
          m.heading = static_cast<int>(rng_.range(r.exc_lo, r.exc_hi));
          m.sub = sub();
          return m;
        }
        return clean(r, product_heading);
    }
  }

  // One product: its rule, code, ex-works price (cents) and materials.
  void make(std::uint64_t index, std::string& out) {
    std::uint64_t kind = rng_.below(1000);
    // 0..19 MaxNOM exactly at the limit, 20..39 one cent past; 40..59 tolerance
    // exactly at the limit, 60..79 one cent past; the rest ordinary.
    int rule_index;
    if (kind < 40) rule_index = w_.with_maxnom[rng_.below(w_.with_maxnom.size())];
    else if (kind < 80) rule_index = w_.with_shift[rng_.below(w_.with_shift.size())];
    else rule_index = static_cast<int>(rng_.below(w_.rules.size()));
    const RuleSpec& r = w_.rules[static_cast<std::size_t>(rule_index)];
    int heading = r.heading, psub = sub();
    int n = material_count();
    std::vector<Mat> mats;
    std::int64_t ex_works = 0;
    bool minimal_ops = false;

    auto add_originating = [&](int count) {
      for (int i = 0; i < count; ++i) {
        Mat m = rng_.chance(1, 4) ? near(r, heading, psub) : clean(r, heading);
        m.cents = material_value();
        m.originating = true;
        mats.push_back(m);
      }
    };
    // `count` clean non-originating materials whose values add up to exactly `total` (>= count).
    auto add_clean_summing = [&](int count, std::int64_t total) {
      std::int64_t left = total;
      for (int i = 0; i < count; ++i) {
        Mat m = clean(r, heading);
        std::int64_t remaining = count - i - 1;
        if (remaining == 0) m.cents = left;
        else {
          std::int64_t share = (left - remaining) / (remaining + 1);
          m.cents = std::max<std::int64_t>(1, share / 2 + static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(share) + 1)));
          m.cents = std::min(m.cents, left - remaining);
        }
        left -= m.cents;
        mats.push_back(m);
      }
    };

    if (kind < 40) {
      // MaxNOM on the limit: VNM = limit% of the price exactly (or one cent past).
      // One non-originating material fails the shift by more than the tolerance,
      // so the MaxNOM alternative decides.
      bool past = kind >= 20;
      std::int64_t euros = rng_.range(200, 20000);
      ex_works = euros * 100;
      std::int64_t limit = r.maxnom * euros;  // cents: maxnom% of ex_works
      int k = std::max(1, n / 2);
      std::int64_t others = limit * 6 / 10;
      add_clean_summing(k, others);
      Mat bad = problem(r, heading, psub);
      bad.cents = limit - others + (past ? 1 : 0);  // >= 40% of the limit > 10% of ex works
      mats.push_back(bad);
      add_originating(n - k - 1);
    } else if (kind < 80) {
      // Tolerance on the limit: the materials failing the shift are worth exactly
      // 10% of the price (or one cent more); a MaxNOM alternative is made to fail.
      bool past = kind >= 60;
      ex_works = rng_.range(2000, 200000) * 10;
      std::int64_t limit = ex_works / 10;
      std::int64_t total = limit + (past ? 1 : 0);
      int bad_count = rng_.chance(1, 2) ? 1 : 2;
      std::int64_t first = bad_count == 1 ? total : rng_.range(1, total - 1);
      Mat b1 = problem(r, heading, psub);
      b1.cents = first;
      mats.push_back(b1);
      if (bad_count == 2) {
        Mat b2 = problem(r, heading, psub);
        b2.cents = total - first;
        mats.push_back(b2);
      }
      int k = std::max(1, n / 2);
      std::int64_t others = r.maxnom ? r.maxnom * ex_works / 100 + ex_works / 10 : ex_works * 3 / 10;
      add_clean_summing(k, others);
      add_originating(n - k - bad_count);
    } else {
      int non_pct = static_cast<int>(rng_.range(1, 6)) * 15;  // 15..90% of the lines non-originating
      bool dirty = rng_.chance(3, 5);
      bool major = dirty && rng_.chance(1, 2);
      std::int64_t total = 0;
      for (int i = 0; i < n - (major ? 1 : 0); ++i) {
        Mat m = dirty && rng_.chance(20, 100) ? near(r, heading, psub) : clean(r, heading);
        m.cents = material_value();
        m.originating = !rng_.chance(static_cast<std::uint64_t>(non_pct), 100);
        m.packing = rng_.chance(3, 100);
        total += m.cents;
        mats.push_back(m);
      }
      if (major) {
        // A major non-originating component that does not shift: the tolerance
        // rarely covers it, and the MaxNOM alternative (if any) decides.
        Mat m = problem(r, heading, psub);
        m.cents = std::max<std::int64_t>(100, total * rng_.range(15, 40) / 100);
        total += m.cents;
        mats.insert(mats.begin() + static_cast<std::ptrdiff_t>(rng_.below(mats.size() + 1)), m);
      }
      ex_works = total * rng_.range(105, 180) / 100;
      minimal_ops = rng_.chance(2, 100);
    }

    out += R"({"format":"roo-bom/1","currency":"EUR","date":"2026-11-28","product":{"id":"B)";
    out += std::to_string(index);
    out += R"(","description":")";
    out += pick(rng_, product_words);
    out += R"(","hs":")";
    out += heading_text(heading);
    out += '.';
    out += std::to_string(psub);
    out += R"(","produced_in":"GB","ex_works":")";
    out += cents_text(ex_works);
    out += R"(","processes":)";
    out += minimal_ops ? R"(["packing","sorting"])" : pick(rng_, process_sets);
    out += R"(},"materials":[)";
    for (std::size_t i = 0; i < mats.size(); ++i) {
      const Mat& m = mats[i];
      if (i) out += ',';
      out += R"({"id":"M)";
      out += std::to_string(i + 1);
      out += R"(","description":")";
      out += pick(rng_, material_words);
      out += R"(","hs":")";
      out += heading_text(m.heading);
      out += '.';
      out += std::to_string(m.sub);
      out += R"(","value":")";
      out += cents_text(m.cents);
      out += R"(","origin":")";
      out += m.originating ? pick(rng_, originating_origins) : pick(rng_, non_originating_origins);
      out += R"(","originating":)";
      out += m.originating ? "true" : "false";
      if (rng_.chance(1, 5)) {
        out += R"(,"weight_kg":")";
        out += std::to_string(rng_.range(0, 40));
        out += '.';
        out += std::to_string(rng_.range(100, 999));
        out += '"';
      }
      if (m.packing) out += R"(,"role":"packing")";
      out += '}';
    }
    out += "]}\n";
  }

 private:
  Rng& rng_;
  const World& w_;
};

bool write_file(const std::filesystem::path& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

// ---- Scaling workloads (bench/scaling.sh): one dimension grows, the rest
// stays small, so that the time measured is the cost of that dimension.

// The small agreement the one-BOM workloads are determined under: the
// product's heading has a rule with an exception and a value alternative, so
// that every material is tested for membership of the excepted headings and
// counted in the value of the non-originating materials.
const char* const scale_rules = R"(import std

agreement "scale" {
  parties GB, EU
  hs 2022
  basis ex_works
  tolerance 10% of ex_works
  heading 8501: CTH except headings 8503..8504 or maxnom(50%)
}
)";

std::string scale_product(std::uint64_t ex_works, std::string_view extra) {
  return R"({"format":"roo-bom/1","currency":"EUR","date":"2026-11-28","product":{"id":"SCALE","hs":"8501.52","produced_in":"GB","ex_works":")" +
         std::to_string(ex_works) + ".00\"" + std::string(extra) + "},\"materials\":[";
}

// One BOM of N materials: codes spread over the chapters, one in twenty from
// the excepted headings, half of them non-originating, worth about 100.00
// each; an ex-works price of 20.00 a material puts the excepted ones past the
// tolerance, so the shift fails and MaxNOM is evaluated too (and fails).
std::string scale_materials(std::uint64_t n) {
  Rng rng(7);
  std::string out = scale_product(20 * n, "");
  for (std::uint64_t i = 0; i < n; ++i) {
    int heading = rng.chance(1, 20) ? static_cast<int>(8503 + rng.below(2))
                                    : static_cast<int>(100 * rng.range(1, 97) + rng.range(1, 20));
    if (heading / 100 == 77) heading += 100;
    out += i ? ",{" : "{";
    out += R"("id":"M)" + std::to_string(i) + R"(","hs":")" + heading_text(heading) + "." +
           std::to_string(10 + rng.below(80)) + R"(","value":")" + cents_text(rng.range(1, 20000)) +
           R"(","origin":")" + (rng.chance(1, 2) ? "CN" : "GB") + R"(","originating":)" +
           (rng.chance(1, 2) ? "false" : "true") + "}";
  }
  out += "]}\n";
  return out;
}

// One BOM whose product has N attribute keys (all distinct: every key is
// compared for duplicates) and a few materials.
std::string scale_keys(std::uint64_t n) {
  std::string attributes = R"(,"attributes":{)";
  for (std::uint64_t i = 0; i < n; ++i)
    attributes += (i ? ",\"k" : "\"k") + std::to_string(i * 2654435761u % 1000000007u) + R"(":"v)" + std::to_string(i) + "\"";
  attributes += "}";
  std::string out = scale_product(1000, attributes);
  out += R"({"id":"M1","hs":"8503.00","value":"10.00","origin":"CN","originating":false},)"
         R"({"id":"M2","hs":"7408.11","value":"20.00","origin":"CN","originating":false}]})"
         "\n";
  return out;
}

// An agreement of about BYTES bytes of source: subheading rules (6 digits,
// no two overlapping) in the shapes of real annexes, in order of code.
std::string scale_agreement(std::uint64_t bytes) {
  Rng rng(11);
  std::string out = "import std\n\nagreement \"scale\" {\n  parties GB, EU\n  hs 2022\n  basis ex_works\n"
                    "  tolerance 10% of ex_works\n  insufficient std.minimal_operations\n";
  static const char* const percents[] = {"40%", "45%", "50%", "55%", "60%"};
  for (int chapter = 1; chapter <= 97 && out.size() < bytes; ++chapter) {
    if (chapter == 77) continue;
    for (int heading = 1; heading <= 99 && out.size() < bytes; ++heading) {
      std::string code = heading_text(chapter * 100 + heading);
      for (int sub = 10; sub <= 99 && out.size() < bytes; ++sub) {
        std::string at = code + std::to_string(sub);
        int other = static_cast<int>(rng.range(1, 96));
        if (other >= 77) ++other;
        std::string first = heading_text(other * 100 + static_cast<int>(rng.range(1, 60)));
        std::string last = heading_text(std::stoi(first) + static_cast<int>(rng.range(0, 30)));
        switch (rng.below(5)) {
          case 0: out += "  subheading " + at + ": CTSH\n"; break;
          case 1: out += "  subheading " + at + ": CTH or maxnom(" + pick(rng, percents) + ")\n"; break;
          case 2: out += "  subheading " + at + ": CC except headings " + first + ".." + last + "\n"; break;
          case 3:
            out += "  subheading " + at + ": CTH except headings " + first + ".." + last + " or maxnom(" +
                   pick(rng, percents) + ")\n";
            break;
          default: out += "  subheading " + at + ": maxnom(" + std::string(pick(rng, percents)) + ")\n"; break;
        }
      }
    }
  }
  out += "  heading 8501: CTH except headings 8503..8504 or maxnom(50%)\n}\n";
  return out;
}

int scale_main(std::string_view kind, std::uint64_t n, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  bool ok = true;
  if (kind == "materials") {
    ok = write_file(dir / "rules.roo", scale_rules) && write_file(dir / "bom.json", scale_materials(n));
  } else if (kind == "keys") {
    ok = write_file(dir / "rules.roo", scale_rules) && write_file(dir / "bom.json", scale_keys(n));
  } else if (kind == "rules") {
    ok = write_file(dir / "rules.roo", scale_agreement(n)) && write_file(dir / "bom.json", scale_materials(25));
  } else {
    std::fprintf(stderr, "bench_generate: scale KIND is materials, keys or rules\n");
    return 2;
  }
  if (!ok) {
    std::fprintf(stderr, "bench_generate: cannot write in %s\n", dir.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string_view(argv[1]) == "scale")
    return scale_main(argv[2], std::strtoull(argv[3], nullptr, 10), argv[4]);
  if (argc != 4) {
    std::fprintf(stderr,
                 "usage: bench_generate SEED N OUTDIR\n"
                 "       bench_generate scale materials|keys|rules N OUTDIR   (N: materials, keys, or rules bytes)\n");
    return 2;
  }
  std::uint64_t seed = std::strtoull(argv[1], nullptr, 10);
  std::uint64_t count = std::strtoull(argv[2], nullptr, 10);
  std::filesystem::path dir = argv[3];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);

  Rng world_rng(seed);
  World world = make_world(world_rng);
  if (!write_file(dir / "rules.roo", rules_text(world, seed))) {
    std::fprintf(stderr, "bench_generate: cannot write %s\n", (dir / "rules.roo").c_str());
    return 1;
  }
  // The products draw from their own stream, so N does not change the rules.
  Rng rng(seed ^ 0x5DEECE66DULL);
  ProductMaker maker(rng, world);
  std::FILE* f = std::fopen((dir / "boms.jsonl").c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "bench_generate: cannot write %s\n", (dir / "boms.jsonl").c_str());
    return 1;
  }
  std::string buffer;
  for (std::uint64_t i = 1; i <= count; ++i) {
    maker.make(i, buffer);
    if (buffer.size() > (1u << 20)) {
      std::fwrite(buffer.data(), 1, buffer.size(), f);
      buffer.clear();
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), f);
  if (std::fclose(f) != 0) return 1;
  std::printf("bench_generate: %zu rules, %llu products in %s\n", world.rules.size(),
              static_cast<unsigned long long>(count), dir.c_str());
  return 0;
}
