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
    static Py_ssize_t NAME(const UNIT *units, Py_ssize_t length, const unsigned char *bits, \
                           Py_ssize_t limit)                                              \
    {                                                                                     \
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
    static Py_ssize_t NAME(const UNIT *units, Py_ssize_t length, const unsigned char *bits, \
                           Py_ssize_t limit)                                              \
    {                                                                                     \
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

/* The text and the bitmap of count(text, bitmap) or find(text, bitmap); 0, or -1 with an
 * exception set (the buffer is released by the caller). */
static int arguments(const char *name, PyObject *const *args, Py_ssize_t nargs, Py_buffer *view)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "%s(text, bitmap) takes 2 arguments", name);
        return -1;
    }
    if (!PyUnicode_Check(args[0])) {
        PyErr_Format(PyExc_TypeError, "%s: text must be a str", name);
        return -1;
    }
    if (PyUnicode_READY(args[0]) < 0)
        return -1;
    return PyObject_GetBuffer(args[1], view, PyBUF_SIMPLE);
}

static PyObject *count(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    Py_buffer view;
    if (arguments("count", args, nargs, &view) < 0)
        return NULL;
    PyObject *text = args[0];
    const unsigned char *bits = view.buf;
    Py_ssize_t limit = view.len > PY_SSIZE_T_MAX / 8 ? PY_SSIZE_T_MAX : view.len * 8;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t found;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        found = count_ucs1(data, length, bits, limit);
        break;
    case PyUnicode_2BYTE_KIND:
        found = count_ucs2(data, length, bits, limit);
        break;
    default:
        found = count_ucs4(data, length, bits, limit);
        break;
    }
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(found);
}

static PyObject *find(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    Py_buffer view;
    if (arguments("find", args, nargs, &view) < 0)
        return NULL;
    PyObject *text = args[0];
    const unsigned char *bits = view.buf;
    Py_ssize_t limit = view.len > PY_SSIZE_T_MAX / 8 ? PY_SSIZE_T_MAX : view.len * 8;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t at;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        at = find_ucs1(data, length, bits, limit);
        break;
    case PyUnicode_2BYTE_KIND:
        at = find_ucs2(data, length, bits, limit);
        break;
    default:
        at = find_ucs4(data, length, bits, limit);
        break;
    }
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(at);
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
