/* A page's per-character questions to pdfium in one call (ingest/pdf_native.py loads this).
 *
 * The Python reader (ingest/pdf_pdfium.py, _asked) asks pdfium three things of every visible
 * character: whether it lacks a Unicode mapping, its loose box and its text object. Each is a
 * call through cffi (about 270 ns); here the loop runs in C and calls pdfium through the
 * function pointers the caller passes (pypdfium2's own, so nothing is linked against pdfium).
 * No arithmetic is done: the answers are copied as pdfium gives them, so the characters read
 * are the Python path's to the bit.
 *
 * Build: cc -O2 -shared -fPIC -o libpdf_chars.so pdf_chars.c (make native).
 */
#include <stdint.h>

typedef int (*map_error_fn)(void *text_page, int index);
typedef int (*loose_box_fn)(void *text_page, int index, float *rect); /* FS_RECTF */
typedef void *(*text_object_fn)(void *text_page, int index);

/* For the n visible characters at `indices`: writes the positions (into `indices`) of those
 * whose map error is not 1 (pdfium's "no Unicode mapping"; -1, an error, is kept as the
 * Python path keeps it) to `kept`, and for each of them, in order, its loose box (left, top,
 * right, bottom) to `boxes` (4 floats each) and its text object's address (0: none) to
 * `owners`. Returns how many were kept. */
int pdf_chars_ask(void *text_page, const int32_t *indices, int n, void *map_error,
                  void *loose_box, void *text_object, int32_t *kept, float *boxes,
                  uint64_t *owners)
{
    map_error_fn has_map_error = (map_error_fn)map_error;
    loose_box_fn get_loose_box = (loose_box_fn)loose_box;
    text_object_fn get_text_object = (text_object_fn)text_object;
    int m = 0;
    for (int k = 0; k < n; k++) {
        if (has_map_error(text_page, indices[k]) == 1)
            continue;
        kept[m] = k;
        m++;
    }
    for (int j = 0; j < m; j++) {
        int index = indices[kept[j]];
        get_loose_box(text_page, index, boxes + 4 * (int64_t)j);
        owners[j] = (uint64_t)(uintptr_t)get_text_object(text_page, index);
    }
    return m;
}
