// The canonical layout of roo files, as `roo fmt` prints them.
//
// Layout
//   - Top-level items start at column 1; items inside `agreement "..." { }`
//     are indented 2 spaces; the closing `}` is on its own line. The file ends
//     with exactly one newline (an empty file stays empty).
//   - Lines are at most 100 columns where the rules below allow it (columns
//     count UTF-8 code points; trailing comments do not count).
//   - Between two items (or comments) there is one blank line where the source
//     had one or more, none where it had none; never one right after `{`,
//     before `}`, at the start or at the end of the file.
//
// Items
//   - `import std`.
//   - `process a, b, c`, filled up to 100 columns; continuation lines are
//     indented 8 spaces more than the item.
//   - `let NAME ["wording"] = VALUE`. A list value (`[a, b]` or `[7208, 7219]`)
//     that does not fit is filled up to 100 columns, its continuation lines
//     aligned one column after the `[` (when `let NAME ["wording"] = ` is longer
//     than 40 columns, the list starts on the next line, indented 4 more).
//     Another value that does not fit goes on the next lines, indented 4 more.
//   - `criterion NAME(p: type = default, ...) [reports nom|rvc]`; with a
//     wording, the wording goes on the next line (indented 2 more) followed by
//     ` =`, then the body on the next line (indented 2 more). Without one, the
//     whole definition is one line when it fits in 100 columns; otherwise `=`
//     ends the header line and the body goes on the next line, indented 2 more.
//   - A body (criterion or rule) that does not fit on its line breaks before
//     each top-level ` or `; an `or` operand that still does not fit, and a
//     top-level `and` body, break before each ` and `. Continuation lines keep
//     the body's indentation and start with `or ` / `and `.
//   - A line still too long breaks further, outermost construct first (see
//     "layout documents" below): a parenthesised `or`/`and` chain breaks before
//     each operator, aligned one column after its `(`; argument lists, lists
//     and code lists are filled, continuation lines aligned after the `(` /
//     `[` (a code list after `of`/`except`/`in`: with the operand before it);
//     a binary operator or suffix breaks before the operator, aligned with its
//     left operand; a quantifier breaks after its `:`, indented 2 more.
//     Breaks only replace spaces, so the tokens never change.
//   - Settings: `key value` as the grammar spells them (`hs 2017`,
//     `parties GB, EU`, `group NAME = A, B`, `cumulation full with GB, EU`,
//     `tolerance 15% of weight for chapters 02, 04..24`, `tolerance none for
//     chapters 50..63`, `origin_criterion wholly_obtained "A"`,
//     `all_rules_apply`). In a run of consecutive settings (no blank line
//     between them; comments do not break a run) the values start one column
//     after the run's longest key (keys without a value, `all_rules_apply`,
//     do not count).
//   - Rules: `SCOPE: BODY`, then one line per metadata clause, indented 4 more,
//     in this order: `valid from D until D`, `cite "..."`, `note "..."`,
//     `to A, B`, `quota`. A scope too long for its line puts ` where COND` on
//     the next line, indented 4 more. A rule is single-line when it has no metadata, its
//     `SCOPE:` is at most 40 columns and `SCOPE: BODY` fits in 100 columns.
//     In a run of consecutive single-line rules (no blank line between them,
//     no other item or rule between them) the bodies start one column after
//     the run's longest `SCOPE:`; a rule that would then pass 100 columns
//     leaves the run (which splits there) and keeps a single space. A rule
//     whose `SCOPE: BODY` does not fit puts the body on the next lines,
//     indented 4 more, broken as above.
//   - Scope: `[ex ]CODES[ "description"][ where COND]`.
//
// Expressions
//   - Code lists as written (level words and code texts kept): items joined by
//     `, `, ranges `A..B`. A list that starts with a bare code is printed in
//     brackets, except after `of`, `except` and `in`, where it keeps the form
//     the author used.
//   - Single spaces around binary operators and keywords; none inside
//     parentheses or brackets; `, ` between arguments and list elements;
//     `name: value` for named arguments; `50%`; strings re-escaped (`\"`, `\\`).
//   - The tree has no parentheses: they are re-inserted exactly where the
//     grammar needs them, plus around a compound right operand of `except`.
//     Binding, loosest first: quantifier < or < and < not < comparison / in
//     (not associative) < + - < * < of / except / where suffixes < member,
//     call, primary. Beyond precedence: the right operand of `of`, `except` and
//     `where` is a postfix expression (or a code list after `of`, `except`),
//     otherwise parenthesised: `CTH except (materials where it.is("x"))`; as
//     the grammar lets `except B` take the `of`/`where` suffixes that follow
//     it, `(A except B) where C` keeps its parentheses; an operand
//     that would start with a bare code where a code list may stand (after
//     `of`, `except`, `in`) is parenthesised; an argument or list element that
//     ends with a bare code list is parenthesised when the next one starts with
//     a code (it would continue the list); and a list of numbers that would read
//     as a code list gets its first element parenthesised.
//
// Comments
//   - Every comment appears exactly once, with its trailing blanks removed.
//   - A comment on its own line stays on its own line, before the item that
//     follows it, at that item's indentation (blank lines around it as above).
//   - A comment after the last token of an item's last line stays at the end of
//     that (formatted) line, after two spaces; a comment after `{` on the
//     agreement's first line stays there.
//   - Any other comment inside an item is moved to its own line just before
//     the item (after the comments already there).
//   - Comments after an agreement's last item stay before its `}`; comments
//     after the file's last item stay at the end of the file.
#include "interpreter/lang/format.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace roo {

namespace {

using ast::Expr;
using K = ast::ExprKind;

constexpr std::size_t max_width = 100;
constexpr std::size_t max_aligned_scope = 40;  // `SCOPE:` of a rule that takes part in alignment
constexpr std::size_t max_list_head = 40;      // `let NAME = ` that a wrapped list may follow on its line

// Columns taken by `s`: UTF-8 code points.
std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

std::string spaces(std::size_t n) { return std::string(n, ' '); }

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Skips a level word (and the blanks after it) at `i`, as the grammar's
// `level_word ws` would.
bool skip_level_word(std::string_view s, std::size_t& i) {
  static constexpr std::string_view words[] = {"chapters", "chapter", "headings", "heading", "subheadings", "subheading"};
  for (auto w : words) {
    if (s.substr(i, w.size()) == w && (i + w.size() >= s.size() || !is_word_char(s[i + w.size()]))) {
      i += w.size();
      while (i < s.size() && s[i] == ' ') ++i;
      return true;
    }
  }
  return false;
}

// Reads a code at `i` as the grammar does (digits, `.digits` groups, not
// followed by `%` or a word character).
bool skip_code(std::string_view s, std::size_t& i) {
  if (i >= s.size() || !is_digit(s[i])) return false;
  while (i < s.size() && is_digit(s[i])) ++i;
  while (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return !(i < s.size() && (s[i] == '%' || is_word_char(s[i])));
}

// Whether printed text starts with something the grammar reads as a code
// group (`7208`, `12.5`, `heading 7208`) where a code list may stand.
bool starts_with_code(std::string_view s) {
  std::size_t i = 0;
  skip_level_word(s, i);
  return skip_code(s, i);
}

// Whether printed text ends with a level word used as a name (`heading`),
// which would take a code list that follows as its own (`heading 7208`).
bool ends_with_level_word(std::string_view s) {
  static constexpr std::string_view words[] = {"chapters", "chapter", "headings", "heading", "subheadings", "subheading"};
  for (auto w : words) {
    if (s.size() < w.size() || s.substr(s.size() - w.size()) != w) continue;
    if (s.size() == w.size()) return true;
    char before = s[s.size() - w.size() - 1];
    if (!is_word_char(before) && before != '.') return true;
  }
  return false;
}

// Whether printed text is, as a whole, a code list (`5, 6`, `heading 7208..7217`).
bool is_code_list_text(std::string_view s) {
  std::size_t i = 0;
  while (true) {
    skip_level_word(s, i);
    if (!skip_code(s, i)) return false;
    if (s.substr(i, 2) == "..") {
      i += 2;
      if (!skip_code(s, i)) return false;
    }
    if (i == s.size()) return true;
    if (s.substr(i, 2) != ", ") return false;
    i += 2;
  }
}

// Binding strength, loosest first (docs/language.md, "Expressions").
constexpr int lv_quantifier = 0, lv_or = 1, lv_and = 2, lv_not = 3, lv_compare = 4, lv_add = 5, lv_mul = 6,
              lv_suffix = 7, lv_postfix = 8;

int level(const Expr& e) {
  switch (e.kind) {
    case K::quantifier: return lv_quantifier;
    case K::or_: return lv_or;
    case K::and_: return lv_and;
    case K::not_: return lv_not;
    case K::compare:
    case K::in:
    case K::not_in: return lv_compare;
    case K::add:
    case K::sub: return lv_add;
    case K::mul: return lv_mul;
    case K::of:
    case K::except_:
    case K::where: return lv_suffix;
    default: return lv_postfix;
  }
}

std::string code_item_text(const ast::CodeItem& c) {
  std::string s;
  if (!c.level.empty()) s = c.level + " ";
  s += c.first;
  if (!c.last.empty()) s += ".." + c.last;
  return s;
}

std::string codes_text(const std::vector<ast::CodeItem>& codes) {
  std::vector<std::string> parts;
  for (const auto& c : codes) parts.push_back(code_item_text(c));
  return join(parts);
}

// ---- layout documents -----------------------------------------------------------
//
// An expression is printed as a small document (after Wadler, "A prettier
// printer"): text, possible line breaks, and groups. A group is printed flat
// (its breaks as single spaces) when it fits in what is left of the line up to
// the next possible break after it; otherwise its own breaks become new lines.
// Breaks only ever replace a space of the flat text, so a layout never changes
// the tokens, and so never the meaning.

struct Doc;
using DocP = std::shared_ptr<const Doc>;

struct Doc {
  enum class Kind : std::uint8_t { text, line, cat, group, align, nest } kind = Kind::text;
  std::string text;
  std::size_t width = 0;  // of `text`
  std::size_t nest = 0;
  std::vector<DocP> kids;
};

DocP txt(std::string s) {
  auto d = std::make_shared<Doc>();
  d->width = width(s);
  d->text = std::move(s);
  return d;
}
DocP wrap(Doc::Kind kind, std::vector<DocP> kids, std::size_t nest = 0) {
  auto d = std::make_shared<Doc>();
  d->kind = kind;
  d->kids = std::move(kids);
  d->nest = nest;
  return d;
}
DocP line() { return wrap(Doc::Kind::line, {}); }
DocP cat(std::vector<DocP> kids) { return wrap(Doc::Kind::cat, std::move(kids)); }
DocP group(DocP d) { return wrap(Doc::Kind::group, {std::move(d)}); }
// Breaks inside `d` go to the column where `d` starts.
DocP align(DocP d) { return wrap(Doc::Kind::align, {std::move(d)}); }
DocP nest(std::size_t n, DocP d) { return wrap(Doc::Kind::nest, {std::move(d)}, n); }

// Items separated by `,`, each on the current line when it fits, else on the next.
DocP fill(const std::vector<DocP>& items) {
  std::vector<DocP> parts;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i == 0) {
      parts.push_back(items[i]);
    } else {
      parts.push_back(txt(","));
      parts.push_back(group(cat({line(), items[i]})));
    }
  }
  return cat(std::move(parts));
}

// Lays `d` out after `prefix` (the start of the first line); breaks outside any
// `align` / `nest` go to column `indent`. Returns the lines.
std::vector<std::string> render(const DocP& d, std::string prefix, std::size_t indent) {
  struct Cmd {
    std::size_t indent;
    bool flat;
    const Doc* doc;
  };
  std::vector<std::string> lines;
  std::string cur = std::move(prefix);
  std::size_t col = width(cur);
  std::vector<Cmd> stack = {{indent, false, d.get()}};

  // Whether `first` (flat) and what follows it up to the next possible break fit in `room` columns.
  auto fits = [&](long room, Cmd first) {
    std::vector<Cmd> work = {first};
    std::size_t rest = stack.size();
    while (room >= 0) {
      if (work.empty()) {
        if (rest == 0) return true;
        work.push_back(stack[--rest]);
      }
      Cmd c = work.back();
      work.pop_back();
      switch (c.doc->kind) {
        case Doc::Kind::text: room -= static_cast<long>(c.doc->width); break;
        case Doc::Kind::line:
          if (!c.flat) return true;
          room -= 1;
          break;
        default:
          for (auto it = c.doc->kids.rbegin(); it != c.doc->kids.rend(); ++it) work.push_back({c.indent, c.flat, it->get()});
      }
    }
    return false;
  };

  while (!stack.empty()) {
    Cmd c = stack.back();
    stack.pop_back();
    switch (c.doc->kind) {
      case Doc::Kind::text:
        cur += c.doc->text;
        col += c.doc->width;
        break;
      case Doc::Kind::line:
        if (c.flat) {
          cur += ' ';
          ++col;
        } else {
          lines.push_back(std::move(cur));
          cur = spaces(c.indent);
          col = c.indent;
        }
        break;
      case Doc::Kind::cat:
        for (auto it = c.doc->kids.rbegin(); it != c.doc->kids.rend(); ++it) stack.push_back({c.indent, c.flat, it->get()});
        break;
      case Doc::Kind::group: {
        const Doc* kid = c.doc->kids.front().get();
        bool flat = c.flat || fits(static_cast<long>(max_width) - static_cast<long>(col), {c.indent, true, kid});
        stack.push_back({c.indent, flat, kid});
        break;
      }
      case Doc::Kind::align: stack.push_back({col, c.flat, c.doc->kids.front().get()}); break;
      case Doc::Kind::nest: stack.push_back({c.indent + c.doc->nest, c.flat, c.doc->kids.front().get()}); break;
    }
  }
  lines.push_back(std::move(cur));
  return lines;
}

// A printed expression: its flat text, its layout, and whether it ends with a
// code list that is not closed by a bracket or parenthesis (a following
// `, 7219` would extend it).
struct Text {
  std::string s;
  DocP doc;
  bool ends_codes = false;
};

Text plain(std::string s, bool ends_codes = false) {
  DocP d = txt(s);
  return {std::move(s), std::move(d), ends_codes};
}

Text paren(const Text& t) { return {"(" + t.s + ")", cat({txt("("), align(t.doc), txt(")")}), false}; }

class ExprPrinter {
public:
  explicit ExprPrinter(std::string_view source) : src_(source) {}

  Text text(const Expr& e, int min_level = lv_quantifier) { return at(e, min_level); }
  std::string print(const Expr& e, int min_level = lv_quantifier) { return at(e, min_level).s; }

private:
  std::string_view src_;

  static const Expr& arg(const Expr& e, std::size_t i) {
    static const Expr empty;
    return i < e.args.size() ? e.args[i] : empty;
  }

  bool written_in_brackets(const Expr& e) const { return e.span.begin < src_.size() && src_[e.span.begin] == '['; }

  // `[a, b]` filled over lines, continuation lines one column after the `[`.
  static Text bracketed(const std::vector<Text>& items) {
    std::string s = "[";
    std::vector<DocP> docs;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) s += ", ";
      s += items[i].s;
      docs.push_back(items[i].doc);
    }
    return {s + "]", cat({txt("["), align(fill(docs)), txt("]")}), false};
  }

  // A code-list expression. In a right-hand side (`of`, `except`, `in`) a list
  // that starts with a bare code may stand without brackets, and keeps the
  // form it was written in; elsewhere it needs them (`7208` alone is a number).
  Text codes_expr(const Expr& e, bool rhs) const {
    bool bracket = e.codes.empty() || e.codes.front().level.empty();
    if (bracket && rhs && !e.codes.empty() && !written_in_brackets(e)) bracket = false;
    std::vector<Text> items;
    for (const auto& c : e.codes) items.push_back(plain(code_item_text(c)));
    if (bracket) return bracketed(items);
    std::vector<DocP> docs;
    for (const auto& t : items) docs.push_back(t.doc);
    return {codes_text(e.codes), fill(docs), true};
  }

  Text at(const Expr& e, int min_level) {
    Text t = raw(e);
    return level(e) < min_level ? paren(t) : t;
  }

  // Parenthesises an argument or list element that ends with a bare code list
  // when the next positional one starts with a code.
  static void guard_commas(std::vector<Text>& items, const std::vector<std::string>* names) {
    for (std::size_t i = 0; i + 1 < items.size(); ++i) {
      bool next_positional = !names || i + 1 >= names->size() || (*names)[i + 1].empty();
      if (items[i].ends_codes && next_positional && starts_with_code(items[i + 1].s)) items[i] = paren(items[i]);
    }
  }

  Text list(const Expr& e) {
    std::vector<Text> items;
    for (const auto& a : e.args) items.push_back(at(a, lv_quantifier));
    guard_commas(items, nullptr);
    // `[5, 6]` would read as a code list: keep the elements expressions.
    if (!items.empty() && !items.front().s.empty() && is_digit(items.front().s.front()) &&
        std::all_of(items.begin(), items.end(), [](const Text& t) { return is_code_list_text(t.s); }))
      items.front() = paren(items.front());
    for (auto& t : items) t.doc = align(t.doc);
    return bracketed(items);
  }

  // `(a, name: b)`, filled over lines, continuation lines one column after the `(`.
  Text arguments(const Expr& e, std::size_t from) {
    std::vector<Text> items;
    std::vector<std::string> names;
    for (std::size_t i = from; i < e.args.size(); ++i) {
      items.push_back(at(e.args[i], lv_quantifier));
      names.push_back(i < e.arg_names.size() ? e.arg_names[i] : std::string());
    }
    guard_commas(items, &names);
    std::string s = "(";
    std::vector<DocP> docs;
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string name = names[i].empty() ? "" : names[i] + ": ";
      if (i) s += ", ";
      s += name + items[i].s;
      docs.push_back(name.empty() ? align(items[i].doc) : cat({txt(name), align(items[i].doc)}));
    }
    return {s + ")", cat({txt("("), align(fill(docs)), txt(")")}), false};
  }

  // The right operand of `of` and `in`: a code list, or an expression that
  // must not start like one.
  Text operand_rhs(const Expr& e, int min_level) {
    if (e.kind == K::codes) return codes_expr(e, true);
    Text t = at(e, min_level);
    if (level(e) >= min_level && starts_with_code(t.s)) t = paren(t);
    return t;
  }

  // Whether `x` (an `except`) ends with a suffix chain that would take a
  // following `of` / `where` suffix as its own.
  bool except_absorbs(const Expr& x) {
    const Expr& rhs = arg(x, 1);
    return !(rhs.kind == K::codes && codes_expr(rhs, true).ends_codes);
  }

  // The left operand of a suffix (`of`, `except`, `where`).
  Text suffix_lhs(const Expr& e, bool of_or_where) {
    Text t = at(e, lv_suffix);
    if (of_or_where && e.kind == K::except_ && except_absorbs(e)) t = paren(t);
    return t;
  }

  // The right operand of `except`: a code list, or a postfix expression. (The
  // grammar would also take `B where C` there; the parentheses keep
  // `A except (B where C)` from reading as `(A except B) where C`.)
  Text except_rhs(const Expr& e) { return operand_rhs(e, lv_postfix); }

  // `l OP r`, breaking before the operator, the break aligned with `l`. A
  // bare code list on the right stays after its operator (and fills the lines
  // from there, continuation lines aligned with `l`).
  static Text joined(const Text& l, std::string_view op, const Text& r, bool bare_codes = false) {
    std::string o(op);
    DocP d = bare_codes ? align(cat({l.doc, txt(" " + o + " "), r.doc}))
                        : group(align(cat({l.doc, line(), txt(o + " "), r.doc})));
    return {l.s + " " + o + " " + r.s, d, r.ends_codes};
  }

  // `l OP r` where r may be a code list.
  Text joined_rhs(const Expr& e, const Text& l, std::string_view op, const Text& r) {
    return joined(l, op, r, arg(e, 1).kind == K::codes && r.ends_codes);
  }

  Text binary(const Expr& e, std::string_view op, int lhs_level, int rhs_level) {
    return joined(at(arg(e, 0), lhs_level), op, at(arg(e, 1), rhs_level));
  }

  Text raw(const Expr& e) {
    switch (e.kind) {
      case K::number:
      case K::boolean:
      case K::name: return plain(e.text);
      case K::percent: return plain(e.text + "%");
      case K::string: return plain(quote(e.text));
      case K::it: return plain("it");
      case K::codes: return codes_expr(e, false);
      case K::list: return list(e);
      case K::member: {
        Text obj = at(arg(e, 0), lv_postfix);
        Text out{obj.s + "." + e.text, cat({obj.doc, txt("." + e.text)}), false};
        if (e.call_parens) {
          Text args = arguments(e, 1);
          out.s += args.s;
          out.doc = cat({out.doc, args.doc});
        }
        return out;
      }
      case K::call: {
        Text args = arguments(e, 0);
        return {e.text + args.s, cat({txt(e.text), args.doc}), false};
      }
      case K::not_: {
        Text t = at(arg(e, 0), lv_not);
        return {"not " + t.s, cat({txt("not "), t.doc}), t.ends_codes};
      }
      case K::and_:
      case K::or_: {
        // Breaks before every operator of the chain at once, at the chain's
        // indentation (a top-level body's `or` and `and` lines line up).
        bool is_and = e.kind == K::and_;
        Text out;
        std::vector<DocP> parts;
        for (std::size_t i = 0; i < e.args.size(); ++i) {
          Text t = at(e.args[i], is_and ? lv_not : lv_and);
          if (i) {
            out.s += is_and ? " and " : " or ";
            parts.push_back(line());
            parts.push_back(txt(is_and ? "and " : "or "));
          }
          out.s += t.s;
          parts.push_back(t.doc);
          out.ends_codes = t.ends_codes;
        }
        out.doc = group(cat(std::move(parts)));
        return out;
      }
      case K::compare: return binary(e, e.text, lv_add, lv_add);
      case K::in:
      case K::not_in:
        return joined_rhs(e, at(arg(e, 0), lv_add), e.kind == K::in ? "in" : "not in", operand_rhs(arg(e, 1), lv_add));
      case K::add: return binary(e, "+", lv_add, lv_mul);
      case K::sub: return binary(e, "-", lv_add, lv_mul);
      case K::mul: return binary(e, "*", lv_mul, lv_suffix);
      case K::of: return joined_rhs(e, suffix_lhs(arg(e, 0), true), "of", operand_rhs(arg(e, 1), lv_postfix));
      case K::where: return joined(suffix_lhs(arg(e, 0), true), "where", at(arg(e, 1), lv_postfix));
      case K::except_: return joined_rhs(e, suffix_lhs(arg(e, 0), false), "except", except_rhs(arg(e, 1)));
      case K::quantifier: {
        Text set = at(arg(e, 0), lv_or);
        Text body = at(arg(e, 1), lv_quantifier);
        std::string head = e.text + " " + e.var + " in ";
        return {head + set.s + ": " + body.s,
                group(align(cat({txt(head), set.doc, txt(":"), nest(2, cat({line(), body.doc}))}))), body.ends_codes};
      }
    }
    return plain(e.text);
  }
};

// ---- comments -----------------------------------------------------------------

using CommentRef = std::pair<bool, ast::Span>;  // (blank line before it, the comment)

// Where the comments of one container (the file, or an agreement's body) go.
struct Slot {
  std::vector<CommentRef> leading;     // own-line comments before the item
  bool blank_before = false;           // blank line between those (or the previous item) and the item
  std::vector<ast::Span> moved;        // comments inside the item
  std::optional<ast::Span> trailing;   // comment at the end of the item's last line
};

struct Placement {
  std::optional<ast::Span> head_trailing;  // after the agreement's `{`
  std::vector<Slot> slots;
  std::vector<CommentRef> tail;  // after the last item
};

struct ItemExtent {
  ast::Span span;
  ast::Span own;  // the part whose comments belong to the item itself (the rest belongs to a nested container)
};

// ---- the formatter ----------------------------------------------------------------

class Formatter {
public:
  Formatter(const ast::File& file, std::string_view source) : file_(file), src_(source), expr_(source) {
    comments_ = file.comments;
    std::sort(comments_.begin(), comments_.end(),
              [](const ast::Comment& a, const ast::Comment& b) { return a.span.begin < b.span.begin; });
  }

  std::string run() {
    std::vector<ItemExtent> extents;
    for (const auto& item : file_.items) extents.push_back(extent(item));
    Placement p = place(0, src_.size(), extents, false);
    begin_container();
    for (std::size_t k = 0; k < file_.items.size(); ++k) {
      emit_before(p.slots[k], 0);
      std::vector<std::string> lines;
      std::visit([&](const auto& item) { lines = format_top(item); }, file_.items[k]);
      emit_item(std::move(lines), p.slots[k]);
    }
    emit_tail(p.tail, 0);
    std::string out;
    for (const auto& l : out_) {
      out += l;
      out += '\n';
    }
    return out;
  }

private:
  const ast::File& file_;
  std::string_view src_;
  ExprPrinter expr_;
  std::vector<ast::Comment> comments_;
  std::vector<std::string> out_;
  bool container_empty_ = true;
  bool pending_blank_ = false;
  // The item being printed ends with an expression and is followed by a rule.
  bool guard_end_ = false;

  // An expression that ends an item. When a rule follows, one that ends with a
  // level word is parenthesised, or it would read the rule's codes as its own.
  Text last_expr(const Expr& e) {
    Text t = expr_.text(e);
    if (guard_end_ && ends_with_level_word(t.s)) t = paren(t);
    return t;
  }

  // ---- output ----

  void begin_container() {
    container_empty_ = true;
    pending_blank_ = false;
  }
  void blank() {
    if (!container_empty_) pending_blank_ = true;
  }
  void emit(std::string line) {
    if (pending_blank_) out_.emplace_back();
    pending_blank_ = false;
    container_empty_ = false;
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out_.push_back(std::move(line));
  }

  std::string comment_text(ast::Span c) const {
    std::string_view t = src_.substr(std::min<std::size_t>(c.begin, src_.size()),
                                     c.end > c.begin ? c.end - c.begin : 0);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
    return std::string(t);
  }

  void emit_before(const Slot& s, std::size_t indent) {
    for (const auto& [blank_line, c] : s.leading) {
      if (blank_line) blank();
      emit(spaces(indent) + comment_text(c));
    }
    if (s.blank_before) blank();
    for (const auto& c : s.moved) emit(spaces(indent) + comment_text(c));
  }

  void emit_item(std::vector<std::string> lines, const Slot& s) {
    if (s.trailing && !lines.empty()) lines.back() += "  " + comment_text(*s.trailing);
    for (auto& l : lines) emit(std::move(l));
  }

  void emit_tail(const std::vector<CommentRef>& tail, std::size_t indent) {
    for (const auto& [blank_line, c] : tail) {
      if (blank_line) blank();
      emit(spaces(indent) + comment_text(c));
    }
    pending_blank_ = false;
  }

  // ---- comment placement ----

  std::size_t newlines(std::size_t from, std::size_t to) const {
    if (to <= from) return 0;
    return static_cast<std::size_t>(std::count(src_.begin() + static_cast<std::ptrdiff_t>(std::min(from, src_.size())),
                                               src_.begin() + static_cast<std::ptrdiff_t>(std::min(to, src_.size())),
                                               '\n'));
  }

  // Assigns the comments in [begin, end) to the items (in source order) of
  // one container. `head` says whether the container opens with a line of its
  // own (the agreement's `{`) that a comment may trail.
  Placement place(std::size_t begin, std::size_t end, const std::vector<ItemExtent>& items, bool head) const {
    Placement p;
    p.slots.resize(items.size());
    std::size_t ci = 0;
    while (ci < comments_.size() && comments_[ci].span.begin < begin) ++ci;
    std::size_t prev_end = begin;
    bool after_token = head;  // the last thing seen is an item (or the head), not a comment
    std::optional<std::size_t> prev_item;
    auto gap_comment = [&](ast::Span c, std::vector<CommentRef>& own_line) {
      std::size_t nl = newlines(prev_end, c.begin);
      if (nl == 0 && after_token) {
        if (prev_item) p.slots[*prev_item].trailing = c;
        else p.head_trailing = c;
      } else {
        own_line.emplace_back(nl >= 2, c);
      }
      prev_end = c.end;
      after_token = false;
    };
    for (std::size_t k = 0; k < items.size(); ++k) {
      const ItemExtent& it = items[k];
      while (ci < comments_.size() && comments_[ci].span.begin < it.span.begin && comments_[ci].span.begin < end)
        gap_comment(comments_[ci++].span, p.slots[k].leading);
      p.slots[k].blank_before = newlines(prev_end, it.span.begin) >= 2;
      while (ci < comments_.size() && comments_[ci].span.begin < it.span.end) {
        ast::Span c = comments_[ci++].span;
        if (c.begin >= it.own.begin && c.begin < it.own.end) p.slots[k].moved.push_back(c);
      }
      prev_end = std::max<std::size_t>(prev_end, it.span.end);
      after_token = true;
      prev_item = k;
    }
    while (ci < comments_.size() && comments_[ci].span.begin < end) gap_comment(comments_[ci++].span, p.tail);
    return p;
  }

  // Whether items k-1 and k of a container are printed with no blank line between them.
  static std::vector<bool> joined(const Placement& p) {
    std::vector<bool> j(p.slots.size(), false);
    for (std::size_t k = 1; k < p.slots.size(); ++k) {
      bool blank_line = p.slots[k].blank_before;
      for (const auto& c : p.slots[k].leading) blank_line = blank_line || c.first;
      j[k] = !blank_line;
    }
    return j;
  }

  // Offsets of an agreement's `{` and `}`.
  std::pair<std::size_t, std::size_t> braces(const ast::Agreement& a) const {
    std::size_t i = a.title_span.end > a.span.begin ? a.title_span.end : a.span.begin;
    std::size_t stop = std::min<std::size_t>(a.span.end, src_.size());
    std::size_t open = stop;
    while (i < stop) {
      char c = src_[i];
      if (c == '{') {
        open = i;
        break;
      }
      if (c == '/' && i + 1 < stop && src_[i + 1] == '/') {
        while (i < stop && src_[i] != '\n') ++i;
      } else {
        ++i;
      }
    }
    std::size_t close = stop;
    if (stop > open && src_[stop - 1] == '}') close = stop - 1;
    return {open, close};
  }

  ItemExtent extent(const ast::Item& item) const {
    return std::visit(
        [&](const auto& i) -> ItemExtent {
          using T = std::decay_t<decltype(i)>;
          if constexpr (std::is_same_v<T, ast::Agreement>) {
            auto [open, close] = braces(i);
            (void)close;
            return {i.span, ast::Span{i.span.begin, static_cast<std::uint32_t>(std::min<std::size_t>(open + 1, i.span.end))}};
          } else {
            return {i.span, i.span};
          }
        },
        item);
  }

  static ast::Span agreement_item_span(const ast::AgreementItem& item) {
    return std::visit([](const auto& i) { return i.span; }, item);
  }

  // ---- items ----

  std::vector<std::string> format_top(const ast::Import& i) { return {"import " + i.path}; }
  std::vector<std::string> format_top(const ast::Include& i) { return {"include " + quote(i.path)}; }
  std::vector<std::string> format_top(const ast::CriterionDef& d) { return criterion(d, 0); }
  std::vector<std::string> format_top(const ast::LetDef& d) { return let(d, 0); }
  std::vector<std::string> format_top(const ast::ProcessDecl& d) { return process(d, 0); }

  std::vector<std::string> format_top(const ast::Agreement& a) {
    // The agreement's own lines are emitted here, so that its body's comments
    // and blank lines are handled like the file's.
    auto [open, close] = braces(a);
    std::vector<ItemExtent> extents;
    for (const auto& item : a.items) {
      ast::Span s = agreement_item_span(item);
      extents.push_back({s, s});
    }
    Placement p = place(std::min(open + 1, close), close, extents, true);
    std::string head = a.part ? "rules {" : "agreement " + quote(a.title) + " {";
    if (p.head_trailing) head += "  " + comment_text(*p.head_trailing);
    emit(head);
    begin_container();
    agreement_body(a, p);
    emit_tail(p.tail, 2);
    container_empty_ = false;
    return {"}"};
  }

  void agreement_body(const ast::Agreement& a, const Placement& p) {
    constexpr std::size_t indent = 2;
    const auto& items = a.items;
    std::size_t n = items.size();
    std::vector<bool> join_prev = joined(p);

    // Settings: the value column of each run.
    std::vector<std::size_t> key_width(n, 0);
    for (std::size_t k = 0; k < n;) {
      if (!std::holds_alternative<ast::Setting>(items[k])) {
        ++k;
        continue;
      }
      std::size_t end = k + 1;
      while (end < n && join_prev[end] && std::holds_alternative<ast::Setting>(items[end])) ++end;
      std::size_t w = 0;
      for (std::size_t j = k; j < end; ++j) {
        const auto& s = std::get<ast::Setting>(items[j]);
        if (!setting_value(s).empty()) w = std::max(w, width(s.key));
      }
      for (std::size_t j = k; j < end; ++j) key_width[j] = w + 1;
      k = end;
    }

    // Rules: which are single-line, and the body column of each run.
    std::vector<bool> guard(n, false);
    for (std::size_t k = 0; k + 1 < n; ++k) guard[k] = std::holds_alternative<ast::Rule>(items[k + 1]);
    std::vector<std::string> scope(n), body(n);
    std::vector<bool> single(n, false);
    for (std::size_t k = 0; k < n; ++k) {
      const auto* r = std::get_if<ast::Rule>(&items[k]);
      if (!r) continue;
      scope[k] = scope_text(r->scope) + ":";
      guard_end_ = guard[k] && !has_meta(*r);
      body[k] = last_expr(r->body).s;
      single[k] = !has_meta(*r) && width(scope[k]) <= max_aligned_scope &&
                  indent + width(scope[k]) + 1 + width(body[k]) <= max_width;
    }
    std::vector<std::size_t> column(n, 0);
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t k = 0; k < n;) {
        if (!single[k]) {
          ++k;
          continue;
        }
        std::size_t end = k + 1;
        while (end < n && join_prev[end] && single[end]) ++end;
        std::size_t w = 0;
        for (std::size_t j = k; j < end; ++j) w = std::max(w, width(scope[j]));
        for (std::size_t j = k; j < end; ++j) {
          column[j] = w + 1;
          if (indent + w + 1 + width(body[j]) > max_width) {
            single[j] = false;
            column[j] = 0;
            changed = true;
          }
        }
        k = end;
      }
    }

    for (std::size_t k = 0; k < n; ++k) {
      emit_before(p.slots[k], indent);
      const auto* rule_item = std::get_if<ast::Rule>(&items[k]);
      guard_end_ = guard[k] && !(rule_item && has_meta(*rule_item));
      std::vector<std::string> lines;
      if (const auto* s = std::get_if<ast::Setting>(&items[k])) {
        std::string value = setting_value(*s);
        std::string line = spaces(indent) + s->key;
        if (!value.empty()) line += spaces(key_width[k] - width(s->key));
        if (s->expr && width(line) + width(value) > max_width) lines = render(align(last_expr(*s->expr).doc), line, indent);
        else lines.push_back(line + value);
      } else if (const auto* d = std::get_if<ast::CriterionDef>(&items[k])) {
        lines = criterion(*d, indent);
      } else if (const auto* l = std::get_if<ast::LetDef>(&items[k])) {
        lines = let(*l, indent);
      } else if (const auto* r = std::get_if<ast::Rule>(&items[k])) {
        lines = rule(*r, indent, scope[k], body[k], single[k] ? column[k] : 0);
      }
      emit_item(std::move(lines), p.slots[k]);
    }
    guard_end_ = false;
  }

  // Fills `items` after `first` up to the width limit, a `,` after each but
  // the last and `close` after the last; continuation lines start with `cont`.
  static std::vector<std::string> fill_names(std::string first, const std::vector<std::string>& items,
                                       const std::string& cont, const std::string& close) {
    std::vector<std::string> lines;
    std::string line = std::move(first);
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i == 0) {
        line += items[i];
        continue;
      }
      line += ",";
      std::string tail = i + 1 == items.size() ? close : ",";
      if (width(line) + 1 + width(items[i]) + width(tail) <= max_width) {
        line += " " + items[i];
      } else {
        lines.push_back(line);
        line = cont + items[i];
      }
    }
    line += close;
    lines.push_back(line);
    return lines;
  }

  std::vector<std::string> process(const ast::ProcessDecl& d, std::size_t indent) {
    return fill_names(spaces(indent) + "process ", d.names, spaces(indent + 8), "");
  }

  std::vector<std::string> let(const ast::LetDef& d, std::size_t indent) {
    std::string head = spaces(indent) + "let " + d.name;
    if (d.wording) head += " " + quote(*d.wording);
    head += " = ";
    Text value = last_expr(d.value);
    if (width(head) + width(value.s) <= max_width) return {head + value.s};
    // A list fills the lines after its `[` (put on the next line, indented 4
    // more, when the head is long); another value goes on the next lines,
    // indented 4 more.
    if (value.s.front() == '[' && width(head) <= max_list_head) return render(value.doc, head, indent);
    head.pop_back();
    std::vector<std::string> lines = {head};
    for (auto& l : render(value.doc, spaces(indent + 4), indent + 4)) lines.push_back(std::move(l));
    return lines;
  }

  std::vector<std::string> criterion(const ast::CriterionDef& d, std::size_t indent) {
    std::string head = spaces(indent) + "criterion " + d.name;
    if (d.has_params) {
      std::vector<std::string> params;
      for (const auto& p : d.params) {
        std::string s = p.name + ": " + p.type;
        if (p.default_value) s += " = " + expr_.print(*p.default_value);
        params.push_back(std::move(s));
      }
      head += "(" + join(params) + ")";
    }
    if (!d.reports.empty()) head += " reports " + d.reports;
    std::vector<std::string> lines;
    if (d.wording) {
      lines.push_back(head);
      lines.push_back(spaces(indent + 2) + quote(*d.wording) + " =");
    } else {
      std::string one = head + " = " + last_expr(d.body).s;
      if (width(one) <= max_width) return {one};
      lines.push_back(head + " =");
    }
    for (auto& l : body_lines(d.body, indent + 2)) lines.push_back(std::move(l));
    return lines;
  }

  // A body on lines of its own at `indent`. One that does not fit breaks
  // before each top-level `or` (an `and` body: `and`); an operand still too
  // long breaks before its `and`s, then inside its parentheses, argument lists,
  // code lists and operators.
  std::vector<std::string> body_lines(const Expr& e, std::size_t indent) {
    return render(last_expr(e).doc, spaces(indent), indent);
  }

  static bool has_meta(const ast::Rule& r) {
    return r.valid_from || r.valid_until || r.cite || r.note || !r.to.empty() || r.quota;
  }

  std::string scope_text(const ast::Scope& s) { return scope_doc(s).s; }

  // `[ex ]CODES[ "description"][ where COND]`; a scope too long for its line
  // puts `where COND` on the next line, indented 4 more.
  Text scope_doc(const ast::Scope& s) {
    std::string head = s.ex ? "ex " : "";
    std::vector<DocP> codes;
    for (const auto& c : s.codes) codes.push_back(txt(code_item_text(c)));
    head += codes_text(s.codes);
    std::vector<DocP> parts = {txt(s.ex ? "ex " : ""), align(fill(codes))};
    if (s.description) {
      head += " " + quote(*s.description);
      parts.push_back(txt(" " + quote(*s.description)));
    }
    if (s.condition) {
      Text cond = expr_.text(*s.condition, lv_or);
      head += " where " + cond.s;
      parts.push_back(group(nest(4, cat({line(), txt("where "), align(cond.doc)}))));
    }
    return {head, cat(std::move(parts)), false};
  }

  std::vector<std::string> rule(const ast::Rule& r, std::size_t indent, const std::string& scope,
                                const std::string& body, std::size_t column) {
    std::vector<std::string> lines;
    std::string ind = spaces(indent);
    if (column > 0) {
      lines.push_back(ind + scope + spaces(column - width(scope)) + body);
    } else if (indent + width(scope) + 1 + width(body) <= max_width) {
      lines.push_back(ind + scope + " " + body);
    } else {
      lines = render(cat({scope_doc(r.scope).doc, txt(":")}), ind, indent);
      for (auto& l : body_lines(r.body, indent + 4)) lines.push_back(std::move(l));
    }
    std::string meta = spaces(indent + 4);
    if (r.valid_from || r.valid_until) {
      std::string v = "valid";
      if (r.valid_from) v += " from " + *r.valid_from;
      if (r.valid_until) v += " until " + *r.valid_until;
      lines.push_back(meta + v);
    }
    if (r.cite) lines.push_back(meta + "cite " + quote(*r.cite));
    if (r.note) lines.push_back(meta + "note " + quote(*r.note));
    if (!r.to.empty()) lines.push_back(meta + "to " + join(r.to));
    if (r.quota) lines.push_back(meta + "quota");
    return lines;
  }

  std::string setting_value(const ast::Setting& s) {
    const std::string& k = s.key;
    if (k == "title" || k == "citation") return quote(s.text);
    if (k == "hs") return s.number;
    if (k == "parties") return join(s.names);
    if (k == "group") return s.word + " = " + join(s.names);
    if (k == "basis" || k == "tolerance_applies_to" || k == "roll_up" || k == "kind" || k == "residual") return s.word;
    if (k == "cumulation") return s.names.empty() ? s.word : s.word + " with " + join(s.names);
    if (k == "tolerance") {
      std::string v = s.number.empty() ? s.word : s.number + "% of " + s.word;
      if (!s.codes.empty()) v += " for " + codes_text(s.codes);
      return v;
    }
    if (k == "insufficient") return s.expr ? last_expr(*s.expr).s : "";
    if (k == "origin_criterion") return s.word + " " + quote(s.text);
    if (k == "sets") return s.number + "% of " + s.word;
    if (k == "explained") return codes_text(s.codes) + " " + quote(s.text);
    return "";
  }
};

// ---- syntax tree equality ----------------------------------------------------------

bool same(const ast::CodeItem& a, const ast::CodeItem& b);
bool same(const Expr& a, const Expr& b);
bool same(const ast::Param& a, const ast::Param& b);
bool same(const ast::CriterionDef& a, const ast::CriterionDef& b);
bool same(const ast::LetDef& a, const ast::LetDef& b);
bool same(const ast::ProcessDecl& a, const ast::ProcessDecl& b);
bool same(const ast::Import& a, const ast::Import& b);
bool same(const ast::Include& a, const ast::Include& b);
bool same(const ast::Rule& a, const ast::Rule& b);
bool same(const ast::Setting& a, const ast::Setting& b);
bool same(const ast::Agreement& a, const ast::Agreement& b);
template <typename... Ts>
bool same(const std::variant<Ts...>& a, const std::variant<Ts...>& b);

bool same(const ast::CodeItem& a, const ast::CodeItem& b) {
  return a.level == b.level && a.first == b.first && a.last == b.last;
}

template <typename T>
bool same_list(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}

template <typename T>
bool same_opt(const std::optional<T>& a, const std::optional<T>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || same(*a, *b);
}

bool same(const Expr& a, const Expr& b) {
  return a.kind == b.kind && a.text == b.text && a.var == b.var && a.arg_names == b.arg_names &&
         a.call_parens == b.call_parens && same_list(a.codes, b.codes) && same_list(a.args, b.args);
}

bool same(const ast::Param& a, const ast::Param& b) {
  return a.name == b.name && a.type == b.type && same_opt(a.default_value, b.default_value);
}

bool same(const ast::CriterionDef& a, const ast::CriterionDef& b) {
  return a.name == b.name && a.has_params == b.has_params && same_list(a.params, b.params) &&
         a.reports == b.reports && a.wording == b.wording && same(a.body, b.body);
}

bool same(const ast::LetDef& a, const ast::LetDef& b) {
  return a.name == b.name && a.wording == b.wording && same(a.value, b.value);
}

bool same(const ast::ProcessDecl& a, const ast::ProcessDecl& b) { return a.names == b.names; }
bool same(const ast::Import& a, const ast::Import& b) { return a.path == b.path; }
bool same(const ast::Include& a, const ast::Include& b) { return a.path == b.path; }

bool same(const ast::Rule& a, const ast::Rule& b) {
  return a.scope.ex == b.scope.ex && same_list(a.scope.codes, b.scope.codes) &&
         a.scope.description == b.scope.description && same_opt(a.scope.condition, b.scope.condition) &&
         same(a.body, b.body) && a.valid_from == b.valid_from && a.valid_until == b.valid_until && a.cite == b.cite &&
         a.note == b.note && a.to == b.to && a.quota == b.quota;
}

bool same(const ast::Setting& a, const ast::Setting& b) {
  return a.key == b.key && a.word == b.word && a.text == b.text && a.number == b.number && a.names == b.names &&
         same_list(a.codes, b.codes) && same_opt(a.expr, b.expr);
}

template <typename... Ts>
bool same(const std::variant<Ts...>& a, const std::variant<Ts...>& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        return same(x, std::get<T>(b));
      },
      a);
}

bool same(const ast::Agreement& a, const ast::Agreement& b) {
  return a.title == b.title && a.part == b.part && same_list(a.items, b.items);
}

}  // namespace

std::string format_source(const ast::File& file, std::string_view source) { return Formatter(file, source).run(); }

bool same_syntax(const ast::File& a, const ast::File& b) { return same_list(a.items, b.items); }

}  // namespace roo
