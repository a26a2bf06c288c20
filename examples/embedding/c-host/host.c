/* A C host of roo, through the C ABI (roo/roo.h) only: loads an agreement,
 * determines a BOM file, and prints the determination as roo-determination/1
 * JSON on one line (a JSON Lines file gives a JSON array of determinations).
 *
 *   c-host AGREEMENT BOM       AGREEMENT: a .roo file or a folder with main.roo;
 *                              BOM: .json, .jsonl / .ndjson or .csv
 *
 * Exit status: 0 a verdict or an undetermined result, 1 an error result, 2 the
 * rules cannot be used, the BOM file cannot be read, or the arguments are wrong. */
#include <roo/roo.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, malloc'd; NULL when it cannot be read. */
static char* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char* buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char* bigger = realloc(buf, cap *= 2);
      if (!bigger) free(buf);
      buf = bigger;
    }
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

static int ends_with(const char* s, const char* suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* s as a JSON string (quoted, escaped), malloc'd. */
static char* json_string(const char* s) {
  char* out = malloc(strlen(s) * 6 + 3);
  if (!out) return NULL;
  char* p = out;
  *p++ = '"';
  for (; *s; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      *p++ = '\\';
      *p++ = (char)c;
    } else if (c < 0x20) {
      p += sprintf(p, "\\u%04x", c);
    } else {
      *p++ = (char)c;
    }
  }
  *p++ = '"';
  *p = '\0';
  return out;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c-host AGREEMENT BOM\n");
    return 2;
  }
  const char* rules = argv[1];
  const char* bom_path = argv[2];

  char* diagnostics = NULL;
  roo_agreement* agreement = roo_agreement_load(rules, &diagnostics);
  if (!agreement) {
    fprintf(stderr, "c-host: the rules in %s cannot be used: %s\n", rules, diagnostics ? diagnostics : "out of memory");
    roo_free(diagnostics);
    return 2;
  }
  roo_free(diagnostics);

  size_t len = 0;
  char* bom = read_file(bom_path, &len);
  if (!bom) {
    fprintf(stderr, "c-host: cannot read %s\n", bom_path);
    roo_agreement_free(agreement);
    return 2;
  }

  /* The format from the extension; the file's name names it in messages. */
  const char* format = "json";
  if (ends_with(bom_path, ".jsonl") || ends_with(bom_path, ".ndjson")) format = "jsonl";
  else if (ends_with(bom_path, ".csv")) format = "csv";
  char* name = json_string(bom_path);
  char* options = name ? malloc(strlen(name) + 64) : NULL;
  if (options) sprintf(options, "{\"format\":\"%s\",\"name\":%s}", format, name);

  char* determination = options ? roo_determine_json(agreement, bom, len, options) : NULL;
  int status = 2;
  if (determination) {
    puts(determination);
    status = strstr(determination, "\"status\":\"error\"") ? 1 : 0;
  } else {
    fprintf(stderr, "c-host: out of memory\n");
  }

  roo_free(determination);
  free(options);
  free(name);
  free(bom);
  roo_agreement_free(agreement);
  return status;
}
