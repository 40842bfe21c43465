/* A maker of records in C (ingest._record_maker), for ingest.fast_init.record_maker.
 *
 * Ingest makes one CellRecord for every figure of every table. record_maker's Python maker
 * (``make(a, b, ...)``: ``object.__new__(cls)``, then each field stored in the new record's
 * ``__dict__``) runs in the interpreter, ~280 ns a record; this does the same steps in C: the
 * record is made by object.__new__ (PyBaseObject_Type.tp_new, with no arguments), its
 * __dict__ got as ``record.__dict__`` gets it (PyObject_GenericGetDict) and the values stored
 * in it by the field names, in field order. So the record is of the same class, with the same
 * __dict__ in the same order: equal to and indistinguishable from ``cls(a, b, ...)``.
 *
 * maker(cls, names) -> a callable taking len(names) positional arguments (no keywords).
 * tests/ingest/test_record_maker.py holds it to the Python maker and to the class call.
 *
 * Built with the mypyc-compiled modules (ingest/compiled_build.py, make compiled) and served
 * by the same finder (ingest/compiled.py), so INGEST_PURE=1 makes records in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>

typedef struct {
    PyObject_HEAD
    PyTypeObject *cls;
    PyObject *names; /* a tuple of str */
    vectorcallfunc vectorcall;
} Maker;

static PyObject *empty_tuple;

static PyObject *make(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Maker *maker = (Maker *)self;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    Py_ssize_t count = PyTuple_GET_SIZE(maker->names);
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) > 0) {
        PyErr_Format(PyExc_TypeError, "make_%s() takes no keyword arguments",
                     maker->cls->tp_name);
        return NULL;
    }
    if (nargs != count) {
        PyErr_Format(PyExc_TypeError, "make_%s() takes %zd positional arguments but %zd were "
                     "given", maker->cls->tp_name, count, nargs);
        return NULL;
    }
    PyObject *record = PyBaseObject_Type.tp_new(maker->cls, empty_tuple, NULL);
    if (record == NULL)
        return NULL;
    PyObject *values = PyObject_GenericGetDict(record, NULL);
    if (values == NULL) {
        Py_DECREF(record);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        if (PyDict_SetItem(values, PyTuple_GET_ITEM(maker->names, i), args[i]) < 0) {
            Py_DECREF(values);
            Py_DECREF(record);
            return NULL;
        }
    }
    Py_DECREF(values);
    return record;
}

static void maker_dealloc(PyObject *self)
{
    Maker *maker = (Maker *)self;
    Py_XDECREF(maker->cls);
    Py_XDECREF(maker->names);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *maker_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<record maker of %s>", ((Maker *)self)->cls->tp_name);
}

static PyTypeObject MakerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "ingest._record_maker.Maker",
    .tp_basicsize = sizeof(Maker),
    .tp_dealloc = maker_dealloc,
    .tp_repr = maker_repr,
    .tp_vectorcall_offset = offsetof(Maker, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Makes records of one class from their fields' values (see record_maker.c).",
};

static PyObject *maker(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "maker(cls, names) takes 2 arguments");
        return NULL;
    }
    if (!PyType_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "maker: cls must be a class");
        return NULL;
    }
    PyTypeObject *cls = (PyTypeObject *)args[0];
    if (cls->tp_new != PyBaseObject_Type.tp_new || cls->tp_dictoffset == 0) {
        PyErr_Format(PyExc_TypeError, "maker: %s must be made by object.__new__ and have a "
                     "__dict__", cls->tp_name);
        return NULL;
    }
    PyObject *names = args[1];
    if (!PyTuple_CheckExact(names)) {
        PyErr_SetString(PyExc_TypeError, "maker: names must be a tuple of str");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(names); i++) {
        if (!PyUnicode_CheckExact(PyTuple_GET_ITEM(names, i))) {
            PyErr_SetString(PyExc_TypeError, "maker: names must be a tuple of str");
            return NULL;
        }
    }
    Maker *made = PyObject_New(Maker, &MakerType);
    if (made == NULL)
        return NULL;
    Py_INCREF(cls);
    made->cls = cls;
    Py_INCREF(names);
    made->names = names;
    made->vectorcall = make;
    return (PyObject *)made;
}

static PyMethodDef methods[] = {
    {"maker", (PyCFunction)(void (*)(void))maker, METH_FASTCALL,
     "maker(cls, names) -> a callable making a record of cls from the values of its fields "
     "named in names, in that order (object.__new__, then each value stored in __dict__)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "ingest._record_maker",
    "Makes records without the class call (see record_maker.c).", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__record_maker(void)
{
    if (PyType_Ready(&MakerType) < 0)
        return NULL;
    empty_tuple = PyTuple_New(0);
    if (empty_tuple == NULL)
        return NULL;
    return PyModule_Create(&module_definition);
}
