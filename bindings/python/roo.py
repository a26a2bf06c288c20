"""roo from Python, through the C ABI (roo/roo.h) with ctypes.

    import roo
    tca = roo.Agreement("rules/uk-eu-tca.roo")
    d = tca.determine(open("examples/electric-motor.bom.json").read())
    print(d["status"], d["rule"]["text"])
    print(tca.rule("8501.52", date="2026-11-28")["rules"][0]["text"])

The determinations are roo-determination/1 documents (docs/determination-format.md)
and the rule lookups roo-rule/1 documents (docs/rule-format.md), as dicts. Money,
weights and percentages are strings holding exact decimals: use decimal.Decimal,
never float, to compute with them.

libroo is found through the ROO_LIBRARY environment variable (the path of
libroo.so), else by the loader's usual search (LD_LIBRARY_PATH, the ld.so cache:
libroo.so.0 as installed by `cmake --install` or the .deb).

An Agreement is immutable: one may be shared by any number of threads (ctypes
releases the GIL during each call).
"""

import ctypes
import ctypes.util
import datetime
import json
import os

__all__ = ["Agreement", "RooError", "library", "version"]


class RooError(Exception):
    """Rules that cannot be loaded; `diagnostics` holds them (dicts: severity,
    code, message, file, line, column, ...)."""

    def __init__(self, message, diagnostics=()):
        super().__init__(message)
        self.diagnostics = list(diagnostics)


_lib = None


def _load_library():
    path = os.environ.get("ROO_LIBRARY")
    if path:
        return ctypes.CDLL(path)
    errors = []
    for name in ("libroo.so.0", "libroo.so", ctypes.util.find_library("roo")):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError as e:
            errors.append(str(e))
    raise OSError("libroo not found: set ROO_LIBRARY to the path of libroo.so, or LD_LIBRARY_PATH to its folder ("
                  + "; ".join(errors) + ")")


def library():
    """The loaded libroo (a ctypes.CDLL), loading it on first use."""
    global _lib
    if _lib is None:
        lib = _load_library()
        c_char_pp = ctypes.POINTER(ctypes.c_void_p)
        lib.roo_version.restype = ctypes.c_char_p
        lib.roo_version.argtypes = []
        lib.roo_agreement_load.restype = ctypes.c_void_p
        lib.roo_agreement_load.argtypes = [ctypes.c_char_p, c_char_pp]
        lib.roo_agreement_load_text.restype = ctypes.c_void_p
        lib.roo_agreement_load_text.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, c_char_pp]
        lib.roo_agreement_free.restype = None
        lib.roo_agreement_free.argtypes = [ctypes.c_void_p]
        lib.roo_agreement_info_json.restype = ctypes.c_void_p
        lib.roo_agreement_info_json.argtypes = [ctypes.c_void_p]
        lib.roo_determine_json.restype = ctypes.c_void_p
        lib.roo_determine_json.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]
        lib.roo_rule_json.restype = ctypes.c_void_p
        lib.roo_rule_json.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        lib.roo_free.restype = None
        lib.roo_free.argtypes = [ctypes.c_void_p]
        _lib = lib
    return _lib


def version():
    """The engine's version ("0.1.0")."""
    return library().roo_version().decode()


def _take(pointer):
    """The text of a char* the library returned, freed with roo_free."""
    if not pointer:
        raise MemoryError("roo: out of memory")
    try:
        return ctypes.string_at(pointer).decode("utf-8")
    finally:
        library().roo_free(pointer)


def _bytes(text):
    return text if isinstance(text, bytes) else str(text).encode("utf-8")


class Agreement:
    """An agreement's rules, loaded and checked.

    Agreement(path)                 a .roo file, or a folder holding main.roo
    Agreement(text=..., name=...)   rules in memory; `name` names them in
                                    diagnostics and gives the agreement's id

    Rules with errors raise RooError (its `diagnostics` say where and why);
    `diagnostics` holds the warnings and notes of rules that load.
    """

    def __init__(self, path=None, *, text=None, name="<input>.roo"):
        if (path is None) == (text is None):
            raise TypeError("Agreement(path) or Agreement(text=..., name=...)")
        lib = library()
        diagnostics = ctypes.c_void_p()
        if path is not None:
            where = os.fspath(path)
            handle = lib.roo_agreement_load(_bytes(where), ctypes.byref(diagnostics))
        else:
            where = name
            data = _bytes(text)
            handle = lib.roo_agreement_load_text(_bytes(name), data, len(data), ctypes.byref(diagnostics))
        self.diagnostics = json.loads(_take(diagnostics.value)) if diagnostics.value else []
        if not handle:
            errors = [d for d in self.diagnostics if d.get("severity") == "error"]
            first = errors[0]["message"] if errors else "out of memory"
            raise RooError(f"the rules in {where} cannot be used: {first}", self.diagnostics)
        self._handle = ctypes.c_void_p(handle)

    def close(self):
        """Frees the agreement now (it is freed anyway when collected)."""
        handle, self._handle = getattr(self, "_handle", None), None
        if handle and _lib is not None:
            _lib.roo_agreement_free(handle)

    def __del__(self):
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _live(self):
        if not self._handle:
            raise ValueError("the agreement is closed")
        return self._handle

    @property
    def info(self):
        """{"id", "title", "citation", "hs_edition", "parties", "non_preferential", "rules_sha256"}"""
        return json.loads(_take(library().roo_agreement_info_json(self._live())))

    def determine_json(self, bom, **options):
        """The determination of `bom` (text or bytes) as the library's JSON text:
        one roo-determination/1 object, or a JSON array of them when
        format="jsonl". Options (all optional): format ("json", "jsonl",
        "csv"), date ("YYYY-MM-DD" or a datetime.date), to (the importing
        party), explain ("full", "fails", "none"), name (how messages name the
        input). Options that are not valid, like a BOM that cannot be read,
        give a determination with status "error" saying why."""
        for key, value in list(options.items()):
            if isinstance(value, datetime.date):
                options[key] = value.isoformat()
        data = _bytes(bom)
        opts = json.dumps(options).encode("utf-8") if options else None
        return _take(library().roo_determine_json(self._live(), data, len(data), opts))

    def determine(self, bom, **options):
        """determine_json(bom, **options) as a dict (a list of dicts for format="jsonl")."""
        return json.loads(self.determine_json(bom, **options))

    def rule(self, code, date=None):
        """The roo-rule/1 document for an HS code (4 to 10 digits, dots
        allowed) on `date` ("YYYY-MM-DD" or a datetime.date; None: today,
        UTC). Its "error" says why when the code or date is not valid or no
        rule covers the code."""
        if isinstance(date, datetime.date):
            date = date.isoformat()
        on = None if date is None else _bytes(date)
        return json.loads(_take(library().roo_rule_json(self._live(), _bytes(code), on)))
