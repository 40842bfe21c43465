/* The pdfium reader's loops over a page's characters and paths, in C (ingest/pdf_native.py
 * loads this library; ingest/pdf_pdfium.py calls it once per page instead of pdfium once per
 * character or object through cffi, about 270 ns a call).
 *
 * pdfium is called through the function pointers the caller passes (pypdfium2's own), so
 * nothing is linked against it. No arithmetic is done: pdfium's answers are copied as it gives
 * them, so what the reader reads is its Python loops' to the bit.
 *
 * Build: cc -O2 -shared -fPIC -o libpdfium_loops.so pdfium_loops.c (make native).
 */
#include <stdint.h>
#include <string.h>

typedef int (*map_error_fn)(void *text_page, int index);
typedef int (*loose_box_fn)(void *text_page, int index, float *rect); /* FS_RECTF */
typedef void *(*text_object_fn)(void *text_page, int index);
typedef void *(*text_font_fn)(void *text_object);
typedef double (*font_size_fn)(void *text_page, int index);
typedef int (*char_matrix_fn)(void *text_page, int index, float *matrix); /* FS_MATRIX */
typedef void *(*get_object_fn)(void *page, int index);
typedef int (*object_type_fn)(void *object);
typedef int (*object_matrix_fn)(void *object, float *matrix); /* FS_MATRIX */
typedef int (*count_segments_fn)(void *path);
typedef void *(*get_segment_fn)(void *path, int index);

/* For the n visible characters at `indices`: writes the positions (into `indices`) of those
 * whose map error is not 1 (pdfium's "no Unicode mapping"; -1, an error, is kept as the
 * Python loop keeps it) to `kept`, and for each of them, in order, its loose box (left, top,
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

/* For the n runs of characters of one text object each (`objects`: their text objects'
 * addresses, 0 for none; `firsts`: their first characters' indices): each object's font's
 * address (0 without an object) to `fonts`, and its first character's font size to `sizes`
 * and matrix (a, b, c, d, e, f) to `matrices` (6 floats each). */
void pdf_runs_ask(void *text_page, const int32_t *firsts, const uint64_t *objects, int n,
                  void *text_font, void *font_size, void *char_matrix, uint64_t *fonts,
                  double *sizes, float *matrices)
{
    text_font_fn font_of = (text_font_fn)text_font;
    font_size_fn size_of = (font_size_fn)font_size;
    char_matrix_fn matrix_of = (char_matrix_fn)char_matrix;
    for (int k = 0; k < n; k++)
        fonts[k] = objects[k] ? (uint64_t)(uintptr_t)font_of((void *)(uintptr_t)objects[k]) : 0;
    for (int k = 0; k < n; k++)
        sizes[k] = size_of(text_page, firsts[k]);
    for (int k = 0; k < n; k++)
        matrix_of(text_page, firsts[k], matrices + 6 * (int64_t)k);
}

/* The path objects (type `path_type`) among the page's `count` objects, in page order: each
 * one's address to `paths`, its matrix (a, b, c, d, e, f) to `matrices` (6 floats each), its
 * segment count to `counts` and, when it has two or more, its first segment's address to
 * `firsts` (0 otherwise). `paths` holds `count` entries. Returns how many paths there are;
 * -1 when an object is a form XObject (type `form_type`: the caller walks its paths), -2 when
 * a path's matrix cannot be read. */
int pdf_paths_ask(void *page, int count, void *get_object, void *object_type,
                  void *object_matrix, void *count_segments, void *get_segment, int path_type,
                  int form_type, uint64_t *paths, float *matrices, int32_t *counts,
                  uint64_t *firsts)
{
    get_object_fn object_at = (get_object_fn)get_object;
    object_type_fn type_of = (object_type_fn)object_type;
    object_matrix_fn matrix_of = (object_matrix_fn)object_matrix;
    count_segments_fn segments_of = (count_segments_fn)count_segments;
    get_segment_fn segment_at = (get_segment_fn)get_segment;
    int n = 0;
    for (int i = 0; i < count; i++) {
        void *object = object_at(page, i);
        int type = type_of(object);
        if (type == form_type)
            return -1;
        if (type == path_type)
            paths[n++] = (uint64_t)(uintptr_t)object;
    }
    for (int k = 0; k < n; k++)
        if (!matrix_of((void *)(uintptr_t)paths[k], matrices + 6 * (int64_t)k))
            return -2;
    for (int k = 0; k < n; k++) {
        void *path = (void *)(uintptr_t)paths[k];
        counts[k] = segments_of(path);
        firsts[k] = counts[k] > 1 ? (uint64_t)(uintptr_t)segment_at(path, 0) : 0;
    }
    return n;
}

/* The n segment arrays starting at `firsts`, `sizes` bytes each, copied one after the other
 * to `out` (only once the caller has seen that a path's segments are one array). */
void pdf_segments_copy(const uint64_t *firsts, const int64_t *sizes, int n, uint8_t *out)
{
    for (int k = 0; k < n; k++) {
        memcpy(out, (const void *)(uintptr_t)firsts[k], (size_t)sizes[k]);
        out += sizes[k];
    }
}
