/* The landed files' rows of a list of records as UTF-8 bytes, in C (ingest._landed_rows).
 *
 * ingest.land.render_document renders every record a document lands into CSV rows; in Python
 * (ingest.land.render_rows, then str.encode) that is about an eighth of ingest's time, ~100 ns
 * a value. Here each record's values are read from its __dict__ by the column names, in
 * order, and written as the Python path writes them: a str as it is, an int as str() gives it,
 * a bool as true or false, None as nothing, values separated by commas, each row ended by a
 * line feed, a str holding a comma, a double quote, a line feed or a carriage return quoted
 * ("...", inner quotes doubled; ingest.land._needs_quotes is the rule). Nothing else is done:
 * any record or value the Python path would write differently or could not write the same way
 * (no __dict__, a field missing from it, a value of another type -- a float, a Decimal, a
 * subclass of str or int --, an int beyond 64 bits, a str holding a lone surrogate, fewer
 * than two columns) gives None, and the caller renders the records in Python.
 * tests/ingest/test_landed_rows.py holds it to the Python path's bytes.
 *
 * Built with the mypyc-compiled modules (ingest/compiled_build.py, make compiled) and served
 * by the same finder (ingest/compiled.py), so INGEST_PURE=1 renders in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    char *data;
    Py_ssize_t size;
    Py_ssize_t capacity;
} Buffer;

static int reserve(Buffer *buffer, Py_ssize_t more)
{
    if (buffer->size + more <= buffer->capacity)
        return 0;
    Py_ssize_t capacity = buffer->capacity ? buffer->capacity : 4096;
    while (capacity < buffer->size + more) {
        if (capacity > PY_SSIZE_T_MAX / 2)
            return -1;
        capacity *= 2;
    }
    char *data = PyMem_Realloc(buffer->data, (size_t)capacity);
    if (data == NULL)
        return -1;
    buffer->data = data;
    buffer->capacity = capacity;
    return 0;
}

/* What a writer did: written; the value is not one to write here (the caller renders the
 * records in Python); failed, with an exception set. */
enum { WRITTEN = 0, NOT_HERE = 1, FAILED = -1 };

/* Whether a text of code units of one width holds a comma, a quote or a line end; how many
 * bytes its UTF-8 takes (quotes doubled, not those around it); -1 for a lone surrogate. */
#define MEASURE(NAME, UNIT)                                                               \
    static Py_ssize_t NAME(const UNIT *units, Py_ssize_t length, int *quoted)             \
    {                                                                                     \
        Py_ssize_t size = 0;                                                              \
        int special = 0;                                                                  \
        for (Py_ssize_t i = 0; i < length; i++) {                                         \
            Py_UCS4 c = units[i];                                                         \
            if (c < 0x80) {                                                               \
                if (c == ',' || c == '\n' || c == '\r')                                   \
                    special = 1;                                                          \
                else if (c == '"') {                                                      \
                    special = 1;                                                          \
                    size++;                                                               \
                }                                                                         \
                size++;                                                                   \
            } else if (c < 0x800) {                                                       \
                size += 2;                                                                \
            } else if (c < 0x10000) {                                                     \
                if (c >= 0xD800 && c <= 0xDFFF)                                           \
                    return -1;                                                            \
                size += 3;                                                                \
            } else {                                                                      \
                size += 4;                                                                \
            }                                                                             \
        }                                                                                 \
        *quoted = special;                                                                \
        return size;                                                                      \
    }

/* The UTF-8 of a text of code units of one width, its quotes doubled (a text holding one
 * is quoted: see MEASURE). */
#define ENCODE(NAME, UNIT)                                                                \
    static char *NAME(const UNIT *units, Py_ssize_t length, char *out)                    \
    {                                                                                     \
        for (Py_ssize_t i = 0; i < length; i++) {                                         \
            Py_UCS4 c = units[i];                                                         \
            if (c < 0x80) {                                                               \
                if (c == '"')                                                             \
                    *out++ = '"';                                                         \
                *out++ = (char)c;                                                         \
            } else if (c < 0x800) {                                                       \
                *out++ = (char)(0xC0 | (c >> 6));                                         \
                *out++ = (char)(0x80 | (c & 0x3F));                                       \
            } else if (c < 0x10000) {                                                     \
                *out++ = (char)(0xE0 | (c >> 12));                                        \
                *out++ = (char)(0x80 | ((c >> 6) & 0x3F));                                \
                *out++ = (char)(0x80 | (c & 0x3F));                                       \
            } else {                                                                      \
                *out++ = (char)(0xF0 | (c >> 18));                                        \
                *out++ = (char)(0x80 | ((c >> 12) & 0x3F));                               \
                *out++ = (char)(0x80 | ((c >> 6) & 0x3F));                                \
                *out++ = (char)(0x80 | (c & 0x3F));                                       \
            }                                                                             \
        }                                                                                 \
        return out;                                                                       \
    }

MEASURE(measure_ucs1, Py_UCS1)
MEASURE(measure_ucs2, Py_UCS2)
MEASURE(measure_ucs4, Py_UCS4)
ENCODE(encode_ucs1, Py_UCS1)
ENCODE(encode_ucs2, Py_UCS2)
ENCODE(encode_ucs4, Py_UCS4)

/* The UTF-8 bytes of a str (quoted if it must be) appended to the buffer. */
static int write_text(Buffer *buffer, PyObject *text)
{
    if (PyUnicode_READY(text) < 0)
        return FAILED;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    int quoted = 0;
    Py_ssize_t size;
    if (kind == PyUnicode_1BYTE_KIND)
        size = measure_ucs1(data, length, &quoted);
    else if (kind == PyUnicode_2BYTE_KIND)
        size = measure_ucs2(data, length, &quoted);
    else
        size = measure_ucs4(data, length, &quoted);
    if (size < 0)
        return NOT_HERE; /* a lone surrogate: str.encode('utf-8') refuses it */
    if (reserve(buffer, size + 2) < 0)
        return FAILED;
    char *out = buffer->data + buffer->size;
    if (quoted)
        *out++ = '"';
    if (kind == PyUnicode_1BYTE_KIND && size == length && !quoted)
        memcpy(out, data, (size_t)length); /* ASCII (a 1-byte text whose UTF-8 is itself) */
    else if (kind == PyUnicode_1BYTE_KIND)
        encode_ucs1(data, length, out);
    else if (kind == PyUnicode_2BYTE_KIND)
        encode_ucs2(data, length, out);
    else
        encode_ucs4(data, length, out);
    out += size;
    if (quoted)
        *out++ = '"';
    buffer->size = out - buffer->data;
    return WRITTEN;
}

/* An int's decimal digits (as str() writes it) appended to the buffer. */
static int write_int(Buffer *buffer, PyObject *number)
{
    int overflow = 0;
    long long value = PyLong_AsLongLongAndOverflow(number, &overflow);
    if (overflow)
        return NOT_HERE;
    if (value == -1 && PyErr_Occurred())
        return FAILED;
    char digits[24];
    int at = (int)sizeof(digits);
    unsigned long long magnitude = value < 0 ? 0ULL - (unsigned long long)value
                                             : (unsigned long long)value;
    do {
        digits[--at] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    if (value < 0)
        digits[--at] = '-';
    Py_ssize_t count = (Py_ssize_t)sizeof(digits) - at;
    if (reserve(buffer, count) < 0)
        return FAILED;
    memcpy(buffer->data + buffer->size, digits + at, (size_t)count);
    buffer->size += count;
    return WRITTEN;
}

/* A bool as the landed files write it (true, false), None as nothing. */
static int write_word(Buffer *buffer, const char *word)
{
    Py_ssize_t count = (Py_ssize_t)strlen(word);
    if (reserve(buffer, count) < 0)
        return FAILED;
    memcpy(buffer->data + buffer->size, word, (size_t)count);
    buffer->size += count;
    return WRITTEN;
}

/* One record's row; WRITTEN, NOT_HERE or FAILED (an exception set). */
static int write_record(Buffer *buffer, PyObject *record, PyObject *names, Py_ssize_t width)
{
    PyObject *values = PyObject_GenericGetDict(record, NULL);
    if (values == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError))
            return FAILED;
        PyErr_Clear(); /* no __dict__ (slots) */
        return NOT_HERE;
    }
    int outcome = WRITTEN;
    if (!PyDict_CheckExact(values))
        outcome = NOT_HERE;
    /* a record's __dict__ holds its fields in column order (a dataclass's __init__, and
     * ingest.fast_init's, set them so): each value is taken walking the dict while its keys
     * are the column names, in order (the same str objects: no hashing), else looked up */
    Py_ssize_t position = 0;
    int walking = 1;
    for (Py_ssize_t column = 0; outcome == WRITTEN && column < width; column++) {
        PyObject *name = PyTuple_GET_ITEM(names, column), *key, *value = NULL;
        if (walking && !(PyDict_Next(values, &position, &key, &value) && key == name))
            walking = 0;
        if (!walking)
            value = PyDict_GetItemWithError(values, name);
        if (value == NULL) {
            outcome = PyErr_Occurred() ? FAILED : NOT_HERE;
            break;
        }
        if (column) {
            if (reserve(buffer, 1) < 0) {
                outcome = FAILED;
                break;
            }
            buffer->data[buffer->size++] = ',';
        }
        if (PyUnicode_CheckExact(value))
            outcome = write_text(buffer, value);
        else if (PyLong_CheckExact(value))
            outcome = write_int(buffer, value);
        else if (value == Py_True || value == Py_False || value == Py_None)
            outcome = write_word(buffer, value == Py_True ? "true"
                                         : value == Py_False ? "false" : "");
        else
            outcome = NOT_HERE;
    }
    Py_DECREF(values);
    if (outcome == WRITTEN) {
        if (reserve(buffer, 1) < 0)
            return FAILED;
        buffer->data[buffer->size++] = '\n';
    }
    return outcome;
}

PyDoc_STRVAR(csv_rows_doc,
"csv_rows(records, names) -> bytes | None\n\n"
"The landed CSV rows (no header, LF line ends, minimal quoting) of ``records`` (a list),\n"
"each record's values read from its __dict__ by ``names`` (a tuple of str, two or more),\n"
"as UTF-8 bytes; None when a record or value is one the caller must render itself.");

static PyObject *csv_rows(PyObject *module, PyObject *args)
{
    PyObject *records, *names;
    if (!PyArg_ParseTuple(args, "O!O!:csv_rows", &PyList_Type, &records, &PyTuple_Type, &names))
        return NULL;
    Py_ssize_t width = PyTuple_GET_SIZE(names);
    for (Py_ssize_t column = 0; column < width; column++) {
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(names, column))) {
            PyErr_SetString(PyExc_TypeError, "csv_rows: the column names must be str");
            return NULL;
        }
    }
    if (width < 2) /* the csv module quotes the lone empty value of a one-column row */
        Py_RETURN_NONE;
    Buffer buffer = {NULL, 0, 0};
    int outcome = WRITTEN;
    for (Py_ssize_t i = 0; outcome == WRITTEN && i < PyList_GET_SIZE(records); i++) {
        PyObject *record = PyList_GET_ITEM(records, i);
        Py_INCREF(record); /* (a __dict__ lookup may run code that changes the list) */
        outcome = write_record(&buffer, record, names, width);
        Py_DECREF(record);
    }
    PyObject *result = NULL;
    if (outcome == WRITTEN)
        result = PyBytes_FromStringAndSize(buffer.data ? buffer.data : "", buffer.size);
    else if (outcome == NOT_HERE)
        result = Py_NewRef(Py_None);
    PyMem_Free(buffer.data);
    if (outcome == FAILED && !PyErr_Occurred())
        PyErr_NoMemory();
    return result;
}

static PyMethodDef methods[] = {
    {"csv_rows", csv_rows, METH_VARARGS, csv_rows_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "ingest._landed_rows",
    "The landed files' rows of records as UTF-8 bytes, in C (see ingest/native/landed_rows.c).",
    -1, methods,
};

PyMODINIT_FUNC PyInit__landed_rows(void)
{
    return PyModule_Create(&module_definition);
}
