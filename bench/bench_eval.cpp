// bench_eval OUTDIR [RUNS [STAGE]]: evaluation alone, on BOMs already in memory.
//
// Loads OUTDIR/rules.roo, reads every BOM of OUTDIR/boms.jsonl into memory,
// then times (median of RUNS runs, default 5):
//   parse      read_bom_json over every line (JSON text -> roo::Bom)
//   evaluate   determine() with Explain::none
//   + to_json  determine() and to_json(), as roo batch does per line
//   full       determine() with Explain::full (tracing on), for comparison
//   baseline   the hand-written loop (bench/baseline.cpp)
// and checks that the baseline's verdicts equal roo's for every BOM.
// Times are the process's CPU time (CLOCK_PROCESS_CPUTIME_ID): on a busy
// machine it is steadier than wall time, and the work is single-threaded.
// STAGE (for profiling) runs one stage RUNS times and nothing else: parse,
// evaluate, json (evaluate + to_json), full or baseline.
// Exit status 1 when any verdict differs.
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "bench/baseline.hpp"
#include "interpreter/bom/bom_reader.hpp"
#include "interpreter/core/file_io.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/eval/output.hpp"

namespace {

std::int64_t cpu_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

template <typename F>
std::int64_t median_ns(int runs, F&& body) {
  std::vector<std::int64_t> times;
  for (int i = 0; i < runs; ++i) {
    std::int64_t t0 = cpu_now_ns();
    body();
    times.push_back(cpu_now_ns() - t0);
  }
  if (times.empty()) return 0;
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::int64_t per_second(std::size_t count, std::int64_t ns) {
  return ns > 0 ? static_cast<std::int64_t>(count) * 1000000000LL / ns : 0;
}

// "1.23" from a ratio a/b, rounded to two decimals with integers.
std::string ratio_text(std::int64_t a, std::int64_t b) {
  if (b <= 0) return "n/a";
  std::int64_t hundredths = (a * 100 + b / 2) / b;
  std::string out = std::to_string(hundredths / 100);
  out += '.';
  out += static_cast<char>('0' + hundredths % 100 / 10);
  out += static_cast<char>('0' + hundredths % 10);
  return out;
}

void row(const char* name, std::size_t count, std::int64_t ns) {
  std::printf("  %-34s %10lld det/s   %8lld ns/BOM   (%lld ms for %zu)\n", name,
              static_cast<long long>(per_second(count, ns)), static_cast<long long>(count ? ns / static_cast<std::int64_t>(count) : 0),
              static_cast<long long>(ns / 1000000), count);
}

const char* baseline_status_name(roo::bench::BaselineStatus s) {
  switch (s) {
    case roo::bench::BaselineStatus::originating: return "originating";
    case roo::bench::BaselineStatus::not_originating: return "not_originating";
    case roo::bench::BaselineStatus::undetermined: return "undetermined";
  }
  return "?";
}

// Peak resident set size of this process in KB (VmHWM), or -1 when unknown.
long peak_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

std::string decimal_text(const std::optional<roo::Decimal>& d) { return d ? d->to_string() : std::string("none"); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: bench_eval OUTDIR [RUNS [parse|evaluate|json|full|baseline]]\n");
    return 2;
  }
  std::string dir = argv[1];
  int runs = argc >= 3 ? std::max(1, std::atoi(argv[2])) : 5;
  std::string stage = argc == 4 ? argv[3] : "";

  auto loaded = roo::load_program(dir + "/rules.roo");
  if (!loaded.program) {
    for (const auto& d : loaded.diagnostics) std::fprintf(stderr, "%s", roo::format_diagnostic(d).c_str());
    return 2;
  }
  const roo::Program& program = *loaded.program;
  std::string why;
  auto rules_text = roo::read_file(dir + "/rules.roo", 64u << 20, why);
  std::string error;
  auto baseline_rules = rules_text ? roo::bench::parse_baseline_rules(*rules_text, error) : std::nullopt;
  if (!baseline_rules) {
    std::fprintf(stderr, "bench_eval: baseline cannot read the rules: %s%s\n", why.c_str(), error.c_str());
    return 2;
  }

  // The input lines, in memory.
  std::vector<std::string> lines;
  {
    std::ifstream in(dir + "/boms.jsonl", std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "bench_eval: cannot read %s/boms.jsonl\n", dir.c_str());
      return 2;
    }
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) lines.push_back(std::move(line));
  }
  std::size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size() + 1;

  // Parse: JSON text -> Bom (the last run's BOMs are kept for the rest).
  std::vector<roo::Bom> boms;
  std::size_t bad = 0;
  std::int64_t parse_ns = median_ns(stage == "parse" ? runs : stage.empty() ? std::max(1, runs / 2 + 1) : 1, [&] {
    boms.clear();
    boms.reserve(lines.size());
    bad = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto r = roo::read_bom_json(lines[i], "boms.jsonl", static_cast<std::uint32_t>(i + 1));
      if (r.bom) boms.push_back(std::move(*r.bom));
      else ++bad;
    }
  });
  if (bad) std::fprintf(stderr, "bench_eval: %zu lines could not be read as BOMs\n", bad);
  std::size_t material_lines = 0;
  for (const auto& b : boms) material_lines += b.materials.size();
  const std::size_t n = boms.size();

  roo::DetermineOptions none;
  none.explain = roo::Explain::none;
  roo::DetermineOptions full;
  full.explain = roo::Explain::full;

  volatile std::size_t sink = 0;
  auto runs_of = [&](const char* name) { return stage.empty() || stage == name ? runs : 0; };
  if (!stage.empty() && stage != "parse" && stage != "evaluate" && stage != "json" && stage != "full" &&
      stage != "baseline") {
    std::fprintf(stderr, "bench_eval: unknown stage '%s'\n", stage.c_str());
    return 2;
  }
  std::int64_t eval_ns = median_ns(runs_of("evaluate"), [&] {
    std::size_t s = 0;
    for (const auto& b : boms) s += static_cast<std::size_t>(roo::determine(program, b, none).status);
    sink = sink + s;
  });
  std::int64_t eval_json_ns = median_ns(runs_of("json"), [&] {
    std::size_t s = 0;
    for (const auto& b : boms) s += roo::to_json(roo::determine(program, b, none), roo::Explain::none).size();
    sink = sink + s;
  });
  std::int64_t full_ns = median_ns(stage.empty() ? std::max(1, runs / 2 + 1) : runs_of("full"), [&] {
    std::size_t s = 0;
    for (const auto& b : boms) s += static_cast<std::size_t>(roo::determine(program, b, full).status);
    sink = sink + s;
  });
  std::int64_t base_ns = median_ns(runs_of("baseline"), [&] {
    std::size_t s = 0;
    for (const auto& b : boms) s += static_cast<std::size_t>(roo::bench::baseline_determine(*baseline_rules, b).status);
    sink = sink + s;
  });

  if (!stage.empty()) {
    std::int64_t ns = stage == "parse" ? parse_ns : stage == "evaluate" ? eval_ns : stage == "json" ? eval_json_ns
                      : stage == "full" ? full_ns : base_ns;
    row(stage.c_str(), n, ns);
    return 0;
  }

  // Verdict agreement: status, the tolerance used, and VNM.
  std::size_t mismatches = 0, originating = 0, not_originating = 0, undetermined = 0, by_tolerance = 0;
  for (const auto& b : boms) {
    roo::Determination d = roo::determine(program, b, none);
    roo::bench::BaselineVerdict v = roo::bench::baseline_determine(*baseline_rules, b);
    std::string roo_status(roo::status_name(d.status));
    std::optional<roo::Decimal> roo_tol, roo_vnm, base_tol, base_vnm;
    if (d.figures.tolerance_used) roo_tol = d.figures.tolerance_used->numerator;
    if (d.figures.vnm) roo_vnm = d.figures.vnm->numerator;
    if (v.tolerance_used) base_tol = v.tolerance_amount;
    if (v.status != roo::bench::BaselineStatus::undetermined) base_vnm = v.vnm;
    bool same = roo_status == baseline_status_name(v.status) && roo_tol == base_tol &&
                (v.status == roo::bench::BaselineStatus::undetermined || roo_vnm == base_vnm);
    if (!same) {
      if (++mismatches <= 10)
        std::printf("MISMATCH %s: roo %s (tolerance %s, vnm %s) vs baseline %s (tolerance %s, vnm %s)\n",
                    b.product.id.c_str(), roo_status.c_str(), decimal_text(roo_tol).c_str(), decimal_text(roo_vnm).c_str(),
                    baseline_status_name(v.status), decimal_text(base_tol).c_str(), decimal_text(base_vnm).c_str());
    }
    if (d.status == roo::Status::originating) ++originating;
    else if (d.status == roo::Status::not_originating) ++not_originating;
    else ++undetermined;
    if (d.figures.tolerance_used && d.status == roo::Status::originating) ++by_tolerance;
  }

  std::printf("workload: %zu BOMs (%zu material lines, median run of %d), %zu rules, %zu MB of JSON\n", n,
              material_lines, runs, program.rules.size(), bytes >> 20);
  std::printf("verdicts: %zu originating (%zu by the tolerance), %zu not originating, %zu other\n", originating,
              by_tolerance, not_originating, undetermined);
  row("parse (read_bom_json)", n, parse_ns);
  row("evaluate, --explain none", n, eval_ns);
  row("evaluate + to_json, --explain none", n, eval_json_ns);
  row("evaluate, --explain full", n, full_ns);
  row("hand-written loop (baseline)", n, base_ns);
  std::printf("split per BOM (--explain none): parse %lld ns, evaluate %lld ns, to_json %lld ns\n",
              static_cast<long long>(n ? parse_ns / static_cast<std::int64_t>(n) : 0),
              static_cast<long long>(n ? eval_ns / static_cast<std::int64_t>(n) : 0),
              static_cast<long long>(n ? (eval_json_ns - eval_ns) / static_cast<std::int64_t>(n) : 0));
  std::printf("roo evaluate / hand-written loop: %sx (target: within 3x)\n", ratio_text(eval_ns, base_ns).c_str());
  std::printf("peak RSS of bench_eval (every BOM held in memory): %ld KB\n", peak_rss_kb());
  std::printf("verdict agreement with the baseline: %zu of %zu BOMs%s\n", n - mismatches, n,
              mismatches ? "  <-- MISMATCHES" : "");
  return mismatches ? 1 : 0;
}
