// The C ABI (include/roo/roo.h) over the C++ API. Every entry point catches
// everything: no exception may cross into C.
#include <roo/roo.h>
#include <roo/roo.hpp>

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "interpreter/core/json_text.hpp"
#include "interpreter/eval/determine.hpp"
#include "interpreter/json/json.hpp"

struct roo_agreement {
  roo::Agreement agreement;
};

namespace {

// A malloc'd copy (what roo_free releases); NULL when memory runs out.
char* c_string(std::string_view s) noexcept {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (!out) return nullptr;
  std::memcpy(out, s.data(), s.size());
  out[s.size()] = '\0';
  return out;
}

roo_agreement* finish_load(roo::LoadResult&& loaded, char** diagnostics_json) {
  if (diagnostics_json) *diagnostics_json = c_string(roo::diagnostics_json(loaded.diagnostics));
  if (!loaded.agreement) return nullptr;
  return new (std::nothrow) roo_agreement{std::move(*loaded.agreement)};
}

// An error determination for input the agreement never saw (options that are
// not valid, no agreement).
std::string error_json(const roo_agreement* a, std::string_view name, std::string code, std::string message,
                       std::string pointer = {}) {
  roo::Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.file = "<options>";
  d.pointer = std::move(pointer);
  roo::Determination det;
  if (a) {
    det = roo::error_determination(a->agreement.program(), std::string(name), {d});
  } else {
    det.product = std::string(name);
    det.status = roo::Status::error;
    det.engine_version = std::string(roo::version());
    det.messages.push_back(roo::Message{roo::Severity::error, d.code, roo::format_diagnostic_header(d)});
  }
  return roo::render(det, roo::Format::json, roo::Explain::none);
}

struct Options {
  roo::BomReadOptions read;
  roo::DetermineOptions determine;
};

// Reads options_json; on a defect, returns the error determination's JSON.
std::optional<std::string> read_options(const roo_agreement* a, const char* options_json, Options& o) {
  if (!options_json) return std::nullopt;
  auto parsed = roo::json::parse(options_json);
  if (!parsed.value)
    return error_json(a, o.read.name, "api-options",
                      fmt::format("the options are not JSON: {} (at byte {})", parsed.error->message, parsed.error->offset));
  const auto& v = *parsed.value;
  if (!v.is(roo::json::Type::object))
    return error_json(a, o.read.name, "api-options", "the options must be a JSON object");
  for (std::size_t i = 0; i < v.keys.size(); ++i) {
    const std::string& key = v.keys[i];
    const auto& item = v.items[i];
    std::string pointer = "/" + key;
    if (!item.is(roo::json::Type::string))
      return error_json(a, o.read.name, "api-options", fmt::format("option '{}' must be a string", key), pointer);
    const std::string& text = item.text;
    if (key == "format") {
      auto f = roo::bom_format_from_name(text);
      if (!f)
        return error_json(a, o.read.name, "api-options",
                          fmt::format("format must be json, jsonl or csv, not '{}'", text), pointer);
      o.read.format = *f;
    } else if (key == "date") {
      std::string why;
      auto d = roo::Date::parse(text, &why);
      if (!d) return error_json(a, o.read.name, "api-options", fmt::format("date: {}", why), pointer);
      o.determine.date = d;
    } else if (key == "to") {
      o.determine.destination = text;
    } else if (key == "explain") {
      auto e = roo::explain_from_name(text);
      if (!e)
        return error_json(a, o.read.name, "api-options",
                          fmt::format("explain must be full, fails or none, not '{}'", text), pointer);
      o.determine.explain = *e;
    } else if (key == "name") {
      o.read.name = text;
    } else {
      return error_json(a, o.read.name, "api-options",
                        fmt::format("unknown option '{}'; the options are format, date, to, explain and name", key),
                        pointer);
    }
  }
  return std::nullopt;
}

}  // namespace

extern "C" {

const char* roo_version(void) { return ROO_VERSION; }

roo_agreement* roo_agreement_load(const char* path, char** diagnostics_json) {
  if (diagnostics_json) *diagnostics_json = nullptr;
  try {
    if (!path) {
      if (diagnostics_json)
        *diagnostics_json = c_string(R"([{"severity":"error","code":"api-argument","message":"no path given"}])");
      return nullptr;
    }
    return finish_load(roo::Agreement::load(path), diagnostics_json);
  } catch (...) {
    return nullptr;
  }
}

roo_agreement* roo_agreement_load_text(const char* name, const char* text, size_t len, char** diagnostics_json) {
  if (diagnostics_json) *diagnostics_json = nullptr;
  try {
    std::string source = text ? std::string(text, len) : std::string();
    return finish_load(roo::Agreement::load_text(name && *name ? name : "<input>.roo", std::move(source)),
                       diagnostics_json);
  } catch (...) {
    return nullptr;
  }
}

void roo_agreement_free(roo_agreement* agreement) { delete agreement; }

char* roo_agreement_info_json(const roo_agreement* a) {
  try {
    if (!a) return c_string("null");
    const roo::Agreement& g = a->agreement;
    std::string out = "{\"id\":";
    roo::append_json_string(out, g.id());
    out += ",\"title\":";
    roo::append_json_string(out, g.title());
    out += ",\"citation\":";
    roo::append_json_string(out, g.citation());
    out += fmt::format(",\"hs_edition\":{},\"parties\":[", g.hs_edition());
    auto parties = g.parties();
    for (std::size_t i = 0; i < parties.size(); ++i) {
      if (i) out += ',';
      roo::append_json_string(out, parties[i]);
    }
    out += fmt::format("],\"non_preferential\":{},\"rules_sha256\":", g.non_preferential() ? "true" : "false");
    roo::append_json_string(out, g.rules_sha256());
    out += '}';
    return c_string(out);
  } catch (...) {
    return nullptr;
  }
}

char* roo_determine_json(const roo_agreement* a, const char* bom, size_t len, const char* options_json) {
  try {
    Options o;
    if (auto bad = read_options(a, options_json, o))
      return c_string(o.read.format == roo::BomFormat::json_lines ? "[" + *bad + "]" : *bad);
    if (!a) return c_string(error_json(nullptr, o.read.name, "api-argument", "no agreement given"));
    std::string_view text = bom ? std::string_view(bom, len) : std::string_view();
    bool lines = o.read.format == roo::BomFormat::json_lines;
    std::string out = lines ? "[" : "";
    bool first = true;
    roo::read_boms(text, o.read, [&](roo::BomInput&& in) {
      if (!lines && !first) return;  // one BOM (the readers give exactly one)
      if (!first) out += ',';
      first = false;
      out += roo::render(a->agreement.determine(in, o.determine), roo::Format::json, o.determine.explain);
    });
    if (lines) out += ']';
    return c_string(out);
  } catch (...) {
    return nullptr;
  }
}

char* roo_rule_json(const roo_agreement* a, const char* hs_code, const char* date) {
  try {
    if (!a) return c_string(R"({"format":"roo-rule/1","error":"no agreement given"})");
    std::optional<roo::Date> on = roo::Date::today();
    if (date) {
      std::string why;
      on = roo::Date::parse(date, &why);
      if (!on) {
        roo::RuleLookup bad;
        bad.code = hs_code ? hs_code : "";
        bad.agreement = a->agreement.id();
        bad.hs_edition = a->agreement.hs_edition();
        bad.rules_sha256 = a->agreement.rules_sha256();
        bad.error = fmt::format("the date is not valid: {}", why);
        return c_string(roo::render(bad, roo::Format::json));
      }
    }
    return c_string(roo::render(a->agreement.rule(hs_code ? hs_code : "", on), roo::Format::json));
  } catch (...) {
    return nullptr;
  }
}

void roo_free(void* p) { std::free(p); }

}  // extern "C"
