/* Every function of the C ABI (include/roo/roo.h), from C, as a host would
 * call it: good and bad rules from a path and from text, determinations of
 * JSON, JSON Lines and CSV BOMs, options that are not valid, a NULL
 * agreement, a broken BOM, rule lookups, agreement info, roo_free(NULL), and
 * one agreement shared by several threads. Every string returned is freed, so
 * that LeakSanitizer (detect_leaks=1, in the ROO_SANITIZE build) finds any leak
 * of the library.
 *
 *   c_abi_test SOURCE_DIR      (the repository: examples/ is read from it)
 *
 * Prints one line per failed check and exits 1 when any failed. */
#include <roo/roo.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;
static char source_dir[4096];

#define CHECK(cond, ...)                                                  \
  do {                                                                    \
    ++checks;                                                             \
    if (!(cond)) {                                                        \
      ++failures;                                                         \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                       \
      fputc('\n', stderr);                                                \
    }                                                                     \
  } while (0)

static int contains(const char* haystack, const char* needle) {
  return haystack && strstr(haystack, needle) != NULL;
}

static size_t count(const char* haystack, const char* needle) {
  size_t n = 0;
  size_t len = strlen(needle);
  if (!haystack) return 0;
  for (const char* p = strstr(haystack, needle); p; p = strstr(p + len, needle)) ++n;
  return n;
}

/* SOURCE_DIR/relative, in a static buffer (one at a time). */
static const char* in_source(const char* relative) {
  static char path[8192];
  snprintf(path, sizeof path, "%s/%s", source_dir, relative);
  return path;
}

/* The whole file, malloc'd (NUL-terminated); *len its size. Exits on failure:
 * the test cannot go on without its inputs. */
static char* read_file(const char* relative, size_t* len) {
  const char* path = in_source(relative);
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(2);
  }
  size_t cap = 1 << 16, n = 0;
  char* buf = malloc(cap);
  size_t got;
  while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += got;
    if (cap - n - 1 == 0) {
      char* bigger = realloc(buf, cap * 2);
      if (!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf) {
    fprintf(stderr, "out of memory reading %s\n", path);
    exit(2);
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

static void test_version(void) {
  const char* v = roo_version();
  CHECK(v && v[0] >= '0' && v[0] <= '9' && strchr(v, '.'), "version '%s'", v ? v : "(null)");
}

static roo_agreement* load_tca(void) {
  char* diagnostics = NULL;
  roo_agreement* a = roo_agreement_load(in_source("examples/tca-excerpt.roo"), &diagnostics);
  CHECK(a != NULL, "examples/tca-excerpt.roo does not load: %s", diagnostics ? diagnostics : "(null)");
  CHECK(diagnostics && diagnostics[0] == '[', "diagnostics '%s'", diagnostics ? diagnostics : "(null)");
  CHECK(!contains(diagnostics, "\"severity\":\"error\""), "errors: %s", diagnostics);
  roo_free(diagnostics);
  if (!a) exit(1);
  return a;
}

static void test_load(void) {
  char* diagnostics = NULL;

  /* A path, without asking for diagnostics. */
  roo_agreement* a = roo_agreement_load(in_source("examples/cptpp-excerpt.roo"), NULL);
  CHECK(a != NULL, "examples/cptpp-excerpt.roo does not load");
  roo_agreement_free(a);

  /* A path that does not exist. */
  a = roo_agreement_load(in_source("examples/no-such-file.roo"), &diagnostics);
  CHECK(a == NULL, "a missing file loads");
  CHECK(contains(diagnostics, "\"severity\":\"error\""), "diagnostics: %s", diagnostics ? diagnostics : "(null)");
  roo_free(diagnostics);

  /* A NULL path. */
  diagnostics = NULL;
  a = roo_agreement_load(NULL, &diagnostics);
  CHECK(a == NULL, "a NULL path loads");
  CHECK(contains(diagnostics, "api-argument"), "diagnostics: %s", diagnostics ? diagnostics : "(null)");
  roo_free(diagnostics);
  CHECK(roo_agreement_load(NULL, NULL) == NULL, "a NULL path loads");

  /* Good rules from text. */
  const char* good =
      "import std\n"
      "\n"
      "agreement \"C ABI test\" {\n"
      "  citation \"Annex C\"\n"
      "  parties  GB, EU\n"
      "  basis    ex_works\n"
      "\n"
      "  heading 8501: CTH or maxnom(50%)\n"
      "}\n";
  diagnostics = NULL;
  a = roo_agreement_load_text("c-abi.roo", good, strlen(good), &diagnostics);
  CHECK(a != NULL, "good rules from text do not load: %s", diagnostics ? diagnostics : "(null)");
  CHECK(diagnostics && strcmp(diagnostics, "[]") == 0, "diagnostics: %s", diagnostics ? diagnostics : "(null)");
  roo_free(diagnostics);
  char* info = roo_agreement_info_json(a);
  CHECK(contains(info, "\"id\":\"c-abi\""), "info: %s", info ? info : "(null)");
  CHECK(contains(info, "\"title\":\"C ABI test\""), "info: %s", info ? info : "(null)");
  CHECK(contains(info, "\"parties\":[\"EU\",\"GB\"]"), "info: %s", info ? info : "(null)");
  roo_free(info);
  roo_agreement_free(a);

  /* Only the first len bytes are read: the text need not end with NUL. */
  char* copy = malloc(strlen(good) + 8);
  memcpy(copy, good, strlen(good));
  memcpy(copy + strlen(good), "garbage", 7);
  a = roo_agreement_load_text("c-abi.roo", copy, strlen(good), NULL);
  CHECK(a != NULL, "rules followed by bytes past len do not load");
  roo_agreement_free(a);
  free(copy);

  /* Bad rules from text: NULL and located diagnostics. */
  const char* bad = "agreement \"x\" {\n  heading 8501: CTH or\n}\n";
  diagnostics = NULL;
  a = roo_agreement_load_text("bad.roo", bad, strlen(bad), &diagnostics);
  CHECK(a == NULL, "bad rules load");
  CHECK(contains(diagnostics, "\"severity\":\"error\""), "diagnostics: %s", diagnostics ? diagnostics : "(null)");
  CHECK(contains(diagnostics, "bad.roo"), "diagnostics do not name the file: %s", diagnostics ? diagnostics : "(null)");
  roo_free(diagnostics);

  /* NULL name and NULL text: empty rules, named "<input>.roo". */
  diagnostics = NULL;
  a = roo_agreement_load_text(NULL, NULL, 0, &diagnostics);
  CHECK(diagnostics && diagnostics[0] == '[', "diagnostics: %s", diagnostics ? diagnostics : "(null)");
  roo_free(diagnostics);
  roo_agreement_free(a);

  roo_agreement_free(NULL);
}

static void test_info(const roo_agreement* a) {
  char* info = roo_agreement_info_json(a);
  CHECK(contains(info, "\"id\":\"tca-excerpt\""), "info: %s", info ? info : "(null)");
  CHECK(contains(info, "\"hs_edition\":2017"), "info: %s", info ? info : "(null)");
  CHECK(contains(info, "\"non_preferential\":false"), "info: %s", info ? info : "(null)");
  CHECK(contains(info, "\"rules_sha256\":\""), "info: %s", info ? info : "(null)");
  roo_free(info);
  info = roo_agreement_info_json(NULL);
  CHECK(info && strcmp(info, "null") == 0, "info of NULL: %s", info ? info : "(null)");
  roo_free(info);
}

static void test_determine(const roo_agreement* a) {
  size_t len = 0;

  /* JSON: the default format. */
  char* bom = read_file("examples/electric-motor.bom.json", &len);
  char* d = roo_determine_json(a, bom, len, NULL);
  CHECK(contains(d, "\"format\":\"roo-determination/1\""), "determination: %s", d ? d : "(null)");
  CHECK(contains(d, "\"product\":\"MTR-100\""), "determination: %s", d ? d : "(null)");
  CHECK(contains(d, "\"status\":\"originating\""), "determination: %s", d ? d : "(null)");
  CHECK(d && d[0] == '{' && !strchr(d, '\n'), "not one line: %s", d ? d : "(null)");
  roo_free(d);
  d = roo_determine_json(a, bom, len, "{\"format\":\"json\",\"date\":\"2026-11-28\",\"to\":\"EU\",\"explain\":\"none\","
                                      "\"name\":\"motor.json\"}");
  CHECK(contains(d, "\"date\":\"2026-11-28\""), "determination: %s", d ? d : "(null)");
  CHECK(contains(d, "\"explanation\":null"), "explain none keeps the explanation: %s", d ? d : "(null)");
  roo_free(d);
  d = roo_determine_json(a, bom, len, "{}");
  CHECK(contains(d, "\"status\":\"originating\""), "determination: %s", d ? d : "(null)");
  roo_free(d);

  /* Options that are not valid: an error determination saying why. */
  const char* bad_options[][2] = {
      {"{\"colour\":\"red\"}", "unknown option 'colour'"},
      {"{\"date\":\"2026-02-30\"}", "date:"},
      {"{\"format\":\"xml\"}", "format must be json, jsonl or csv"},
      {"{\"explain\":\"some\"}", "explain must be full, fails or none"},
      {"{\"date\":20261128}", "must be a string"},
      {"[\"json\"]", "must be a JSON object"},
      {"{\"format\":", "not JSON"},
  };
  for (size_t i = 0; i < sizeof bad_options / sizeof bad_options[0]; ++i) {
    d = roo_determine_json(a, bom, len, bad_options[i][0]);
    CHECK(contains(d, "\"status\":\"error\""), "options %s: %s", bad_options[i][0], d ? d : "(null)");
    CHECK(contains(d, "api-options"), "options %s: %s", bad_options[i][0], d ? d : "(null)");
    CHECK(contains(d, bad_options[i][1]), "options %s: %s", bad_options[i][0], d ? d : "(null)");
    roo_free(d);
  }

  /* No agreement. */
  d = roo_determine_json(NULL, bom, len, NULL);
  CHECK(contains(d, "\"status\":\"error\"") && contains(d, "api-argument"), "NULL agreement: %s", d ? d : "(null)");
  roo_free(d);

  /* A broken BOM: cut in the middle. */
  d = roo_determine_json(a, bom, len / 2, "{\"name\":\"cut.json\"}");
  CHECK(contains(d, "\"status\":\"error\""), "broken BOM: %s", d ? d : "(null)");
  CHECK(contains(d, "cut.json"), "broken BOM: the message does not name the input: %s", d ? d : "(null)");
  roo_free(d);
  /* No BOM at all. */
  d = roo_determine_json(a, NULL, 0, NULL);
  CHECK(contains(d, "\"status\":\"error\""), "NULL BOM: %s", d ? d : "(null)");
  roo_free(d);
  free(bom);

  /* JSON Lines: an array, one determination per line, in order. */
  bom = read_file("examples/cotton-shirts.bom.jsonl", &len);
  d = roo_determine_json(a, bom, len, "{\"format\":\"jsonl\"}");
  CHECK(d && d[0] == '[' && d[strlen(d) - 1] == ']', "JSON Lines: %s", d ? d : "(null)");
  CHECK(count(d, "\"format\":\"roo-determination/1\"") == 3, "JSON Lines: not 3 determinations: %s", d ? d : "(null)");
  CHECK(contains(d, "SH-01") && contains(d, "SH-03") && strstr(d, "SH-01") < strstr(d, "SH-03"),
        "JSON Lines: order: %s", d ? d : "(null)");
  roo_free(d);
  /* Bad options with jsonl: still an array. */
  d = roo_determine_json(a, bom, len, "{\"format\":\"jsonl\",\"date\":\"tomorrow\"}");
  CHECK(d && d[0] == '[' && contains(d, "\"status\":\"error\""), "JSON Lines, bad date: %s", d ? d : "(null)");
  roo_free(d);
  /* A broken line among good ones: an error for it, verdicts for the others. */
  {
    const char* lines = "{\"currency\":\"EUR\"\n\n   \n";
    d = roo_determine_json(a, lines, strlen(lines), "{\"format\":\"jsonl\"}");
    CHECK(d && d[0] == '[' && count(d, "roo-determination/1") == 1 && contains(d, "\"status\":\"error\""),
          "JSON Lines, broken line: %s", d ? d : "(null)");
    roo_free(d);
    d = roo_determine_json(a, "", 0, "{\"format\":\"jsonl\"}");
    CHECK(d && strcmp(d, "[]") == 0, "JSON Lines, empty input: %s", d ? d : "(null)");
    roo_free(d);
  }
  free(bom);

  /* CSV. */
  bom = read_file("examples/bicycle.bom.csv", &len);
  d = roo_determine_json(a, bom, len, "{\"format\":\"csv\",\"name\":\"bicycle.bom.csv\"}");
  CHECK(contains(d, "\"product\":\"BK-700\"") && contains(d, "roo-determination/1"), "CSV: %s", d ? d : "(null)");
  CHECK(!contains(d, "\"status\":\"error\""), "CSV: %s", d ? d : "(null)");
  roo_free(d);
  /* The same text read as JSON: an error. */
  d = roo_determine_json(a, bom, len, NULL);
  CHECK(contains(d, "\"status\":\"error\""), "CSV read as JSON: %s", d ? d : "(null)");
  roo_free(d);
  free(bom);
}

static void test_rule(const roo_agreement* a) {
  char* r = roo_rule_json(a, "8501.52", NULL);
  CHECK(contains(r, "\"format\":\"roo-rule/1\"") && contains(r, "\"rules\":[{"), "rule: %s", r ? r : "(null)");
  CHECK(!contains(r, "\"error\":\""), "rule: %s", r ? r : "(null)");
  roo_free(r);
  r = roo_rule_json(a, "850152", "2026-11-28");
  CHECK(contains(r, "\"code\":\"8501.52\"") && contains(r, "\"date\":\"2026-11-28\""), "rule on a date: %s",
        r ? r : "(null)");
  roo_free(r);
  r = roo_rule_json(a, "8501.52", "2026-13-01");
  CHECK(contains(r, "\"error\":\"the date is not valid"), "rule, bad date: %s", r ? r : "(null)");
  roo_free(r);
  r = roo_rule_json(a, "85x1", NULL);
  CHECK(contains(r, "\"error\":\""), "rule, bad code: %s", r ? r : "(null)");
  roo_free(r);
  r = roo_rule_json(a, NULL, NULL);
  CHECK(contains(r, "\"error\":\""), "rule, NULL code: %s", r ? r : "(null)");
  roo_free(r);
  r = roo_rule_json(NULL, "8501.52", NULL);
  CHECK(contains(r, "\"error\":\"no agreement given\""), "rule, NULL agreement: %s", r ? r : "(null)");
  roo_free(r);
}

/* One agreement, several threads: each gets what one thread alone gets. */
struct job {
  const roo_agreement* agreement;
  const char* bom;
  size_t len;
  const char* expected;
  int mismatches;
};

static void* run_job(void* p) {
  struct job* j = p;
  for (int i = 0; i < 20; ++i) {
    char* d = roo_determine_json(j->agreement, j->bom, j->len, NULL);
    if (!d || strcmp(d, j->expected) != 0) ++j->mismatches;
    roo_free(d);
    char* r = roo_rule_json(j->agreement, "8501.52", "2026-11-28");
    if (!contains(r, "\"code\":\"8501.52\"")) ++j->mismatches;
    roo_free(r);
  }
  return NULL;
}

static void test_threads(const roo_agreement* a) {
  size_t len = 0;
  char* bom = read_file("examples/office-chair.bom.json", &len);
  char* expected = roo_determine_json(a, bom, len, NULL);
  CHECK(contains(expected, "roo-determination/1"), "determination: %s", expected ? expected : "(null)");
  enum { n = 4 };
  struct job jobs[n];
  pthread_t threads[n];
  for (int i = 0; i < n; ++i) {
    jobs[i] = (struct job){a, bom, len, expected ? expected : "", 0};
    CHECK(pthread_create(&threads[i], NULL, run_job, &jobs[i]) == 0, "pthread_create");
  }
  for (int i = 0; i < n; ++i) {
    pthread_join(threads[i], NULL);
    CHECK(jobs[i].mismatches == 0, "thread %d: %d results differ from one thread's", i, jobs[i].mismatches);
  }
  roo_free(expected);
  free(bom);
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: c_abi_test SOURCE_DIR\n");
    return 2;
  }
  snprintf(source_dir, sizeof source_dir, "%s", argv[1]);

  roo_free(NULL);
  test_version();
  test_load();
  roo_agreement* a = load_tca();
  test_info(a);
  test_determine(a);
  test_rule(a);
  test_threads(a);
  roo_agreement_free(a);

  if (failures) {
    fprintf(stderr, "c_abi_test: %d of %d checks failed\n", failures, checks);
    return 1;
  }
  printf("c_abi_test: %d checks passed\n", checks);
  return 0;
}
