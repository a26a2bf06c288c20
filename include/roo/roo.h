/* roo's C ABI: rules of origin from C and through any foreign-function
 * interface (Python ctypes, Java FFM/JNA, .NET P/Invoke, Go cgo). JSON in,
 * JSON out; the documents are those of the command line: roo-determination/1
 * (docs/determination-format.md) and roo-rule/1 (docs/rule-format.md).
 *
 * Memory: every char* a function returns is owned by the caller and freed
 * with roo_free; an agreement is freed with roo_agreement_free. Inputs are
 * only read, and may be freed as soon as the call returns.
 *
 * Threads: a loaded agreement is immutable; any number of threads may call
 * roo_determine_json and roo_rule_json on one agreement at once.
 *
 * Errors: no C++ exception crosses this interface. Rules that cannot be
 * loaded give NULL and their diagnostics; a BOM that cannot be read, or
 * options that are not valid, give a determination with status "error" whose
 * messages say why, as `roo determine` does. NULL is returned for a result
 * only when memory runs out. */
#ifndef ROO_ROO_H
#define ROO_ROO_H

#include <stddef.h>

#if defined(_WIN32)
#define ROO_C_API
#else
#define ROO_C_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct roo_agreement roo_agreement;

/* The engine's version ("0.1.0"); a static string, not to be freed. */
ROO_C_API const char* roo_version(void);

/* Loads an agreement from a .roo file or a folder holding main.roo. NULL when
 * the rules have errors. When diagnostics_json is not NULL it receives the
 * diagnostics (errors, warnings, notes) as a JSON array, to free with
 * roo_free ("[]" when there are none). */
ROO_C_API roo_agreement* roo_agreement_load(const char* path, char** diagnostics_json);
/* The same for rules in memory: `name` names them in diagnostics ("my.roo")
 * and gives the agreement's id. */
ROO_C_API roo_agreement* roo_agreement_load_text(const char* name, const char* text, size_t len,
                                                 char** diagnostics_json);
ROO_C_API void roo_agreement_free(roo_agreement* agreement);

/* {"id":..., "title":..., "citation":..., "hs_edition":2017, "parties":[...],
 *  "non_preferential":false, "rules_sha256":...} */
ROO_C_API char* roo_agreement_info_json(const roo_agreement* agreement);

/* Determines the BOM in bom[0..len). Returns one roo-determination/1 JSON
 * object, or, when options say "format":"jsonl", a JSON array with one
 * determination per non-blank line (always an array then, in input order).
 * options_json may be NULL or an object with any of:
 *   "format":  "json" (default) | "jsonl" | "csv"
 *   "date":    "YYYY-MM-DD"  the date origin is claimed for (default: the BOM's, else today)
 *   "to":      "EU"          the importing party (default: the BOM's destination)
 *   "explain": "full" (default) | "fails" | "none"
 *   "name":    "bom.json"    how messages name the input (default "<input>")
 * Never NULL except when memory runs out. */
ROO_C_API char* roo_determine_json(const roo_agreement* agreement, const char* bom, size_t len,
                                   const char* options_json);

/* The rules for an HS code (4 to 10 digits) in force on a date
 * ("YYYY-MM-DD"; NULL: today, UTC) as one roo-rule/1 JSON object, the
 * document `roo rule --format json --date D` prints; "error" says why when the
 * code or the date is not valid or no rule covers the code. */
ROO_C_API char* roo_rule_json(const roo_agreement* agreement, const char* hs_code, const char* date);

/* Frees a string returned by this interface (NULL is allowed). */
ROO_C_API void roo_free(void* p);

#ifdef __cplusplus
}
#endif

#endif /* ROO_ROO_H */
