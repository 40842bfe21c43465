/* How many characters of a text belong to a class of characters, in C (ingest._char_counts).
 *
 * Reading a document counts characters of classes over its whole text several times: the
 * CJK characters and the traditional forms (ingest.traditional, for every document), and, for
 * a document not in UTF-8, the plausible characters, the ideographs, the uncommon and the
 * frequent ones in each candidate decoding (ingest.read). A regular expression's findall does
 * it by making a string of every match, ~120 instructions a character; this reads each code
 * point once and looks it up in a bitmap, a few instructions a character.
 *
 * count(text, bitmap) -> int: the code points c of text whose bit c (bitmap[c >> 3] >> (c & 7)
 * & 1) is set; a code point beyond the bitmap's end is not in the class. find(text, bitmap) ->
 * int: the index of the first of them, -1 when none (a search for one character of a class,
 * as a regular expression's search does it, without its match object). The bitmaps are made
 * by ingest.char_classes, which holds each class's regular expression too (the pure-Python
 * count, used when this extension is not built); tests/ingest/test_char_classes.py holds the
 * two to the same counts.
 *
 * Built with the mypyc-compiled modules (ingest/compiled_build.py, make compiled) and served
 * by the same finder (ingest/compiled.py), so INGEST_PURE=1 counts with the expressions.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define COUNT(NAME, UNIT)                                                                 \
    static Py_ssize_t NAME(const void *data, Py_ssize_t length, const unsigned char *bits,  \
                           Py_ssize_t limit)                                              \
    {                                                                                     \
        const UNIT *units = data;                                                         \
        Py_ssize_t found = 0;                                                             \
        for (Py_ssize_t i = 0; i < length; i++) {                                         \
            Py_UCS4 c = units[i];                                                         \
            if ((Py_ssize_t)c < limit)                                                    \
                found += (bits[c >> 3] >> (c & 7)) & 1;                                   \
        }                                                                                 \
        return found;                                                                     \
    }

COUNT(count_ucs1, Py_UCS1)
COUNT(count_ucs2, Py_UCS2)
COUNT(count_ucs4, Py_UCS4)

#define FIND(NAME, UNIT)                                                                  \
    static Py_ssize_t NAME(const void *data, Py_ssize_t length, const unsigned char *bits,  \
                           Py_ssize_t limit)                                              \
    {                                                                                     \
        const UNIT *units = data;                                                         \
        for (Py_ssize_t i = 0; i < length; i++) {                                         \
            Py_UCS4 c = units[i];                                                         \
            if ((Py_ssize_t)c < limit && (bits[c >> 3] >> (c & 7)) & 1)                   \
                return i;                                                                 \
        }                                                                                 \
        return -1;                                                                        \
    }

FIND(find_ucs1, Py_UCS1)
FIND(find_ucs2, Py_UCS2)
FIND(find_ucs4, Py_UCS4)

typedef Py_ssize_t (*Scanner)(const void *, Py_ssize_t, const unsigned char *, Py_ssize_t);

/* count(text, bitmap) or find(text, bitmap): the scanner of the text's width, by kind
 * (1, 2, 4 bytes a character), over the text against the bitmap. */
static PyObject *scan(const char *name, const Scanner by_width[3], PyObject *const *args,
                      Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "%s(text, bitmap) takes 2 arguments", name);
        return NULL;
    }
    PyObject *text = args[0];
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "%s: text must be a str", name);
        return NULL;
    }
    if (PyUnicode_READY(text) < 0)
        return NULL;
    Py_buffer view;
    if (PyObject_GetBuffer(args[1], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    Py_ssize_t limit = view.len > PY_SSIZE_T_MAX / 8 ? PY_SSIZE_T_MAX : view.len * 8;
    int kind = PyUnicode_KIND(text);
    Scanner scanner = by_width[kind == PyUnicode_1BYTE_KIND ? 0
                               : kind == PyUnicode_2BYTE_KIND ? 1 : 2];
    Py_ssize_t result = scanner(PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), view.buf,
                                limit);
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(result);
}

static const Scanner COUNTERS[3] = {count_ucs1, count_ucs2, count_ucs4};
static const Scanner FINDERS[3] = {find_ucs1, find_ucs2, find_ucs4};

static PyObject *count(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    return scan("count", COUNTERS, args, nargs);
}

static PyObject *find(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    return scan("find", FINDERS, args, nargs);
}

static PyMethodDef methods[] = {
    {"count", (PyCFunction)(void (*)(void))count, METH_FASTCALL,
     "count(text, bitmap) -> int: the characters of text whose code point's bit is set in "
     "bitmap (bit c = bitmap[c >> 3] >> (c & 7) & 1; beyond its end: not set)."},
    {"find", (PyCFunction)(void (*)(void))find, METH_FASTCALL,
     "find(text, bitmap) -> int: the index of the first character of text whose code point's "
     "bit is set in bitmap, -1 when none."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "ingest._char_counts",
    "Counts the characters of a text in a class given as a bitmap (see char_counts.c).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__char_counts(void)
{
    return PyModule_Create(&module_definition);
}
